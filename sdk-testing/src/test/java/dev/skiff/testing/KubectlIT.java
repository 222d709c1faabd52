package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real kubectl binary against the cluster with nothing but {@code --kubeconfig}: default
 * (server-side) validation, protobuf bodies of {@code kubectl create}, scale, wait, logs. Skipped
 * when kubectl is not on the PATH.
 */
class KubectlIT {
    private static final String JOB_YAML = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: train
            spec:
              template:
                spec:
                  containers:
                  - name: train
                    image: busybox
                    command: ["echo", "hi"]
                  restartPolicy: Never
            """;

    @TempDir
    Path dir;

    private InMemoryCluster cluster;
    private Path kubeconfig;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(
                kubectl() != null, "kubectl is not on the PATH; the kubectl integration tests need the real binary");
        cluster = InMemoryCluster.start();
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void applyWithDefaultValidationCreatesThenLeavesUnchanged() throws Exception {
        Path file = write("job.yaml", JOB_YAML);

        Result first = kubectl("apply", "-f", file.toString());
        Result second = kubectl("apply", "-f", file.toString());

        assertThat(first.out()).isEqualTo("job.batch/train created\n");
        assertThat(first.err()).isEmpty();
        assertThat(second.out()).isEqualTo("job.batch/train unchanged\n");
        Job job =
                cluster.kubernetesClient().batch().v1().jobs().withName("train").get();
        assertThat(job.getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/last-applied-configuration");
    }

    @Test
    void applyChangesAFieldWithAStrategicMergePatch() throws Exception {
        Path file = write("job.yaml", JOB_YAML);
        kubectl("apply", "-f", file.toString());

        Result changed = kubectl(
                "apply",
                "-f",
                write("job2.yaml", JOB_YAML + "  activeDeadlineSeconds: 600\n").toString());

        assertThat(changed.out()).isEqualTo("job.batch/train configured\n");
        assertThat(cluster.kubernetesClient()
                        .batch()
                        .v1()
                        .jobs()
                        .withName("train")
                        .get()
                        .getSpec()
                        .getActiveDeadlineSeconds())
                .isEqualTo(600L);
    }

    @Test
    void strictValidationRejectsAnUnknownField() throws Exception {
        Path file = write("job.yaml", JOB_YAML + "  foo: bar\n");

        Result r = kubectlExpectingFailure("apply", "-f", file.toString());

        assertThat(r.err())
                .contains(
                        "Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.foo\"");
        assertThat(cluster.kubernetesClient()
                        .batch()
                        .v1()
                        .jobs()
                        .withName("train")
                        .get())
                .isNull();
    }

    @Test
    void strictValidationRejectsAnUnknownFieldInAPatch() throws Exception {
        kubectl("apply", "-f", write("job.yaml", JOB_YAML).toString());

        Result r = kubectlExpectingFailure(
                "apply", "-f", write("bad.yaml", JOB_YAML + "  foo: bar\n").toString());

        assertThat(r.err()).contains("strict decoding error: unknown field \"spec.foo\"");
    }

    @Test
    void warnValidationCreatesAndWarns() throws Exception {
        Path file = write("job.yaml", JOB_YAML.replace("restartPolicy: Never", "restartPolicy: Never\n      foo: bar"));

        Result r = kubectl("apply", "--validate=warn", "-f", file.toString());

        assertThat(r.out()).isEqualTo("job.batch/train created\n");
        assertThat(r.err()).contains("Warning: unknown field \"spec.template.spec.foo\"");
        // the unknown field is dropped, as the API server's decoder does
        assertThat(kubectl("get", "job", "train", "-o", "jsonpath={.spec.template.spec}")
                        .out())
                .doesNotContain("foo");
    }

    @Test
    void createJobWaitsForCompletionAndShowsLogs() throws Exception {
        cluster.onPods(
                "batch.kubernetes.io/job-name=hello",
                PodScript.succeedAfter(Duration.ofSeconds(30)).withLogs("hello from the pod"));

        Result created = kubectl("create", "job", "hello", "--image=busybox", "--", "echo", "hello");
        Running wait = start("wait", "--for=condition=complete", "job/hello", "--timeout=60s");
        Thread.sleep(300);
        assertThat(wait.process().isAlive())
                .as("kubectl wait returned before the job completed")
                .isTrue();
        cluster.advanceClock(Duration.ofMinutes(1));
        Result waited = finish(wait);

        assertThat(created.out()).isEqualTo("job.batch/hello created\n");
        assertThat(waited.code()).as(waited.err()).isZero();
        assertThat(waited.out()).isEqualTo("job.batch/hello condition met\n");
        assertThat(kubectl("logs", "job/hello").out()).isEqualTo("hello from the pod\n");
        Job job =
                cluster.kubernetesClient().batch().v1().jobs().withName("hello").get();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                .containsExactly("echo", "hello");
    }

    @Test
    void createCronJobAndAJobFromIt() throws Exception {
        kubectl("create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "--", "date");
        Result fromCron = kubectl("create", "job", "manual", "--from=cronjob/nightly");

        CronJob cronJob = cluster.kubernetesClient()
                .batch()
                .v1()
                .cronjobs()
                .withName("nightly")
                .get();
        assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 3 * * *");
        assertThat(fromCron.out()).isEqualTo("job.batch/manual created\n");
        Job job = cluster.kubernetesClient()
                .batch()
                .v1()
                .jobs()
                .withName("manual")
                .get();
        assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual");
        assertThat(job.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("nightly");
        assertThat(kubectl("get", "cronjobs", "-o", "name").out()).isEqualTo("cronjob.batch/nightly\n");
        assertThat(kubectl("get", "cronjobs").out()).contains("SCHEDULE", "0 3 * * *");
    }

    @Test
    void aJobFromACronJobKeepsItsPodTemplate() throws Exception {
        // kubectl sends this Job in protobuf: volumes, env sources, resources, tolerations and all
        String cronJob = """
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: rich
                spec:
                  schedule: "0 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          volumes:
                          - {name: data, emptyDir: {sizeLimit: 1Gi}}
                          - {name: cfg, configMap: {name: cm, defaultMode: 420}}
                          - {name: sec, secret: {secretName: s}}
                          - {name: claim, persistentVolumeClaim: {claimName: c}}
                          containers:
                          - name: main
                            image: busybox
                            env:
                            - {name: A, value: b}
                            - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                            - {name: K, valueFrom: {secretKeyRef: {name: s, key: k, optional: false}}}
                            envFrom:
                            - configMapRef: {name: cm}
                            volumeMounts:
                            - {name: data, mountPath: /data, readOnly: true}
                            ports:
                            - {containerPort: 8080, name: http}
                            resources:
                              limits: {cpu: "1", memory: 1Gi}
                          nodeSelector: {gpu: "true"}
                          tolerations:
                          - {key: gpu, operator: Exists, effect: NoSchedule}
                """;
        kubectl("apply", "-f", write("cron.yaml", cronJob).toString());

        kubectl("create", "job", "rich-1", "--from=cronjob/rich");

        var client = cluster.kubernetesClient().batch().v1();
        assertThat(client.jobs()
                        .withName("rich-1")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec())
                .isEqualTo(client.cronjobs()
                        .withName("rich")
                        .get()
                        .getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec());
    }

    @Test
    void createAndScaleADeployment() throws Exception {
        kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2", "--port=80");

        Result scaled = kubectl("scale", "deployment/web", "--replicas=3");

        assertThat(scaled.out()).isEqualTo("deployment.apps/web scaled\n");
        Deployment d =
                cluster.kubernetesClient().apps().deployments().withName("web").get();
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getPorts()
                        .get(0)
                        .getContainerPort())
                .isEqualTo(80);
        assertThat(kubectl("get", "pods", "-l", "app=web", "-o", "name").out().lines())
                .hasSize(3);
        assertThat(kubectl("get", "all").out()).contains("deployment.apps/web", "replicaset.apps/web-");
        assertThat(kubectl("get", "deployment", "web").out().lines())
                .containsExactly(
                        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE", "web    3/3     3            3           0s");
    }

    @Test
    void getDescribeAndDelete() throws Exception {
        kubectl("apply", "-f", write("job.yaml", JOB_YAML).toString());

        assertThat(kubectl("get", "nodes").out()).contains("node-1", "Ready");
        assertThat(kubectl("get", "jobs").out()).contains("train", "Complete", "1/1");
        assertThat(kubectl("describe", "job", "train").out())
                .contains("Name:", "train", "Pods Statuses:", "1 Succeeded", "SuccessfulCreate");
        assertThat(kubectl("describe", "node", "node-1").out()).contains("Name:", "node-1", "Conditions:");
        assertThat(kubectl("get", "events", "-o", "name").out()).contains("event/train");
        assertThat(kubectl("get", "events").out())
                .startsWith("LAST SEEN   TYPE     REASON")
                .contains("job/train", "Job completed");
        assertThat(kubectl("get", "pods", "-l", "job-name=train").out()).contains("Completed");

        Result deleted = kubectl("delete", "job", "train");

        assertThat(deleted.out()).isEqualTo("job.batch \"train\" deleted\n");
        assertThat(cluster.kubernetesClient()
                        .batch()
                        .v1()
                        .jobs()
                        .withName("train")
                        .get())
                .isNull();
    }

    // ------------------------------------------------------------------ running kubectl

    private record Result(int code, String out, String err) {}

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Result kubectl(String... args) throws Exception {
        Result r = finish(start(args));
        assertThat(r.code())
                .as("kubectl %s failed: %s", String.join(" ", args), r.err())
                .isZero();
        return r;
    }

    private Result kubectlExpectingFailure(String... args) throws Exception {
        Result r = finish(start(args));
        assertThat(r.code())
                .as("kubectl %s should have failed", String.join(" ", args))
                .isNotZero();
        return r;
    }

    /** A kubectl process writing to two files. */
    private record Running(Process process, Path out, Path err) {}

    private Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(kubectl());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // keep kubectl's discovery cache out of the user's home
        pb.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
        long n = System.nanoTime();
        Path out = dir.resolve("out-" + n);
        Path err = dir.resolve("err-" + n);
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        return new Running(pb.start(), out, err);
    }

    private static Result finish(Running r) throws Exception {
        if (!r.process().waitFor(60, TimeUnit.SECONDS)) {
            r.process().destroyForcibly();
            throw new AssertionError("kubectl did not finish within 60 s");
        }
        return new Result(r.process().exitValue(), Files.readString(r.out()), Files.readString(r.err()));
    }

    private static String kubectl() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, "kubectl");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
