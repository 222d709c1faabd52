package dev.skiff.core.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Valid objects of each kind, each edited by a test into the case it checks. */
final class Fixtures {
    private Fixtures() {}

    static Job job(Consumer<Job> edit) {
        Job j = new JobBuilder()
                .withNewMetadata()
                .withName("train")
                .withNamespace("ml")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("pytorch/pytorch:2.4.0")
                .withNewResources()
                .endResources()
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        edit.accept(j);
        return j;
    }

    static JobSpec spec(Job j) {
        return j.getSpec();
    }

    static PodSpec pod(Job j) {
        return j.getSpec().getTemplate().getSpec();
    }

    static Container main(Job j) {
        return pod(j).getContainers().get(0);
    }

    static CronJob cronJob(Consumer<CronJob> edit) {
        CronJob c = new CronJobBuilder()
                .withNewMetadata()
                .withName("nightly")
                .endMetadata()
                .withNewSpec()
                .withSchedule("0 3 * * *")
                .withNewJobTemplate()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withNewResources()
                .endResources()
                .endContainer()
                .withRestartPolicy("OnFailure")
                .endSpec()
                .endTemplate()
                .endSpec()
                .endJobTemplate()
                .endSpec()
                .build();
        edit.accept(c);
        return c;
    }

    static Pod podObject(Consumer<Pod> edit) {
        Pod p = new PodBuilder()
                .withNewMetadata()
                .withName("worker-0")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withNewResources()
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        edit.accept(p);
        return p;
    }

    static Deployment deployment(Consumer<Deployment> edit) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("serve")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "serve")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "serve")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("vllm/vllm-openai")
                .withNewResources()
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        edit.accept(d);
        return d;
    }

    static StatefulSet statefulSet(Consumer<StatefulSet> edit) {
        StatefulSet s = new StatefulSetBuilder()
                .withNewMetadata()
                .withName("etcd")
                .endMetadata()
                .withNewSpec()
                .withServiceName("etcd")
                .withNewSelector()
                .addToMatchLabels("app", "etcd")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "etcd")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("etcd")
                .withNewResources()
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        edit.accept(s);
        return s;
    }

    static Service service(Consumer<Service> edit) {
        Service s = new ServiceBuilder()
                .withNewMetadata()
                .withName("trainer")
                .endMetadata()
                .withNewSpec()
                .addToSelector("app", "trainer")
                .addNewPort()
                .withPort(29500)
                .endPort()
                .endSpec()
                .build();
        edit.accept(s);
        return s;
    }

    static PersistentVolumeClaim pvc(Consumer<PersistentVolumeClaim> edit) {
        PersistentVolumeClaim p = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("10Gi"))
                .endResources()
                .endSpec()
                .build();
        edit.accept(p);
        return p;
    }

    static ConfigMap configMap(Consumer<ConfigMap> edit) {
        ConfigMap c = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("config.yaml", "lr: 0.1")
                .build();
        edit.accept(c);
        return c;
    }

    static Secret secret(Consumer<Secret> edit) {
        Secret s = new SecretBuilder()
                .withNewMetadata()
                .withName("token")
                .endMetadata()
                .addToStringData("token", "abc")
                .build();
        edit.accept(s);
        return s;
    }

    static Namespace namespace(Consumer<Namespace> edit) {
        Namespace n = new NamespaceBuilder()
                .withNewMetadata()
                .withName("team-a")
                .endMetadata()
                .build();
        edit.accept(n);
        return n;
    }

    static Map<String, Quantity> quantities(String... keyValues) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], new Quantity(keyValues[i + 1]));
        }
        return m;
    }

    static Map<String, String> map(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
