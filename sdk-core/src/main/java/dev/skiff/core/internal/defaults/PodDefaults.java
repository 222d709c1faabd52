package dev.skiff.core.internal.defaults;

import io.fabric8.kubernetes.api.model.AzureDiskVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.ISCSIVolumeSource;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimTemplate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.RBDVolumeSource;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ScaleIOVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Pods and pod templates: Go's {@code SetDefaults_Pod} (Pods only), {@code SetDefaults_PodSpec},
 * and the container, port, env, probe, lifecycle and volume defaulters the generated {@code
 * SetObjectDefaults_*} functions call for every pod spec.
 */
public final class PodDefaults {
    private PodDefaults() {}

    static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    static final int DEFAULT_FILE_MODE = 0644; // 420: secret, configMap, downwardAPI, projected
    static final long TOKEN_EXPIRATION_SECONDS = 3600;

    /** A Pod: the pod spec defaults plus the ones only a Pod gets (requests from limits, service links, host ports). */
    public static void pod(Pod pod) {
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            spec = new PodSpec();
            pod.setSpec(spec);
        }
        // SetDefaults_Pod runs first, on the pod as sent.
        List<Container> containers = spec.getContainers();
        List<Container> inits = spec.getInitContainers();
        if (containers != null) {
            for (Container c : containers) {
                requestsFromLimits(c);
            }
        }
        if (inits != null) {
            for (Container c : inits) {
                requestsFromLimits(c);
            }
        }
        if (spec.getEnableServiceLinks() == null) {
            spec.setEnableServiceLinks(true);
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            hostPorts(containers);
            hostPorts(inits);
        }
        podSpec(spec);
    }

    /**
     * A pod template inside a workload; creates the template and its spec when absent (they are
     * structs, not pointers, in Go).
     */
    public static PodTemplateSpec template(@Nullable PodTemplateSpec template) {
        PodTemplateSpec t = template == null ? new PodTemplateSpec() : template;
        PodSpec spec = t.getSpec();
        if (spec == null) {
            spec = new PodSpec();
            t.setSpec(spec);
        }
        podSpec(spec);
        return t;
    }

    /** {@code SetDefaults_PodSpec} and everything nested in a pod spec. */
    static void podSpec(PodSpec spec) {
        if (isEmpty(spec.getDnsPolicy())) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (isEmpty(spec.getRestartPolicy())) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(30L);
        }
        if (isEmpty(spec.getSchedulerName())) {
            spec.setSchedulerName("default-scheduler");
        }
        List<Volume> volumes = spec.getVolumes();
        if (volumes != null) {
            for (Volume v : volumes) {
                volume(v);
            }
        }
        List<Container> inits = spec.getInitContainers();
        if (inits != null) {
            for (Container c : inits) {
                container(c);
            }
        }
        List<Container> containers = spec.getContainers();
        if (containers != null) {
            for (Container c : containers) {
                container(c);
            }
        }
        List<EphemeralContainer> ephemeral = spec.getEphemeralContainers();
        if (ephemeral != null) {
            for (EphemeralContainer c : ephemeral) {
                ephemeralContainer(c);
            }
        }
    }

    static void container(Container c) {
        if (isEmpty(c.getImagePullPolicy())) {
            c.setImagePullPolicy(ImageReferences.defaultPullPolicy(c.getImage() == null ? "" : c.getImage()));
        }
        if (isEmpty(c.getTerminationMessagePath())) {
            c.setTerminationMessagePath(TERMINATION_MESSAGE_PATH);
        }
        if (isEmpty(c.getTerminationMessagePolicy())) {
            c.setTerminationMessagePolicy("File");
        }
        ports(c.getPorts());
        env(c.getEnv());
        probe(c.getLivenessProbe());
        probe(c.getReadinessProbe());
        probe(c.getStartupProbe());
        lifecycle(c.getLifecycle());
    }

    static void ephemeralContainer(EphemeralContainer c) {
        if (isEmpty(c.getImagePullPolicy())) {
            c.setImagePullPolicy(ImageReferences.defaultPullPolicy(c.getImage() == null ? "" : c.getImage()));
        }
        if (isEmpty(c.getTerminationMessagePath())) {
            c.setTerminationMessagePath(TERMINATION_MESSAGE_PATH);
        }
        if (isEmpty(c.getTerminationMessagePolicy())) {
            c.setTerminationMessagePolicy("File");
        }
        ports(c.getPorts());
        env(c.getEnv());
        probe(c.getLivenessProbe());
        probe(c.getReadinessProbe());
        probe(c.getStartupProbe());
        lifecycle(c.getLifecycle());
    }

    private static void ports(@Nullable List<ContainerPort> ports) {
        if (ports != null) {
            for (ContainerPort p : ports) {
                if (isEmpty(p.getProtocol())) {
                    p.setProtocol("TCP");
                }
            }
        }
    }

    private static void env(@Nullable List<EnvVar> env) {
        if (env != null) {
            for (EnvVar e : env) {
                if (e.getValueFrom() != null) {
                    fieldRef(e.getValueFrom().getFieldRef());
                }
            }
        }
    }

    private static void fieldRef(@Nullable ObjectFieldSelector ref) {
        if (ref != null && isEmpty(ref.getApiVersion())) {
            ref.setApiVersion("v1");
        }
    }

    /** {@code SetDefaults_Probe} replaces zero as well as unset values. */
    private static void probe(@Nullable Probe p) {
        if (p == null) {
            return;
        }
        if (isZero(p.getTimeoutSeconds())) {
            p.setTimeoutSeconds(1);
        }
        if (isZero(p.getPeriodSeconds())) {
            p.setPeriodSeconds(10);
        }
        if (isZero(p.getSuccessThreshold())) {
            p.setSuccessThreshold(1);
        }
        if (isZero(p.getFailureThreshold())) {
            p.setFailureThreshold(3);
        }
        httpGet(p.getHttpGet());
        if (p.getGrpc() != null && p.getGrpc().getService() == null) {
            p.getGrpc().setService("");
        }
    }

    private static void lifecycle(@Nullable Lifecycle l) {
        if (l != null) {
            handler(l.getPostStart());
            handler(l.getPreStop());
        }
    }

    private static void handler(@Nullable LifecycleHandler h) {
        if (h != null) {
            httpGet(h.getHttpGet());
        }
    }

    private static void httpGet(@Nullable HTTPGetAction a) {
        if (a == null) {
            return;
        }
        if (isEmpty(a.getPath())) {
            a.setPath("/");
        }
        if (isEmpty(a.getScheme())) {
            a.setScheme("HTTP");
        }
    }

    /** {@code SetDefaults_Volume} and the defaulters of each volume source. */
    static void volume(Volume v) {
        if (hasNoSource(v)) {
            v.setEmptyDir(new io.fabric8.kubernetes.api.model.EmptyDirVolumeSource());
            return;
        }
        if (v.getImage() != null && isEmpty(v.getImage().getPullPolicy())) {
            String ref = v.getImage().getReference();
            v.getImage().setPullPolicy(ImageReferences.defaultPullPolicy(ref == null ? "" : ref));
        }
        if (v.getHostPath() != null && v.getHostPath().getType() == null) {
            v.getHostPath().setType(""); // HostPathUnset
        }
        if (v.getSecret() != null && v.getSecret().getDefaultMode() == null) {
            v.getSecret().setDefaultMode(DEFAULT_FILE_MODE);
        }
        if (v.getConfigMap() != null && v.getConfigMap().getDefaultMode() == null) {
            v.getConfigMap().setDefaultMode(DEFAULT_FILE_MODE);
        }
        if (v.getDownwardAPI() != null) {
            if (v.getDownwardAPI().getDefaultMode() == null) {
                v.getDownwardAPI().setDefaultMode(DEFAULT_FILE_MODE);
            }
            downwardItems(v.getDownwardAPI().getItems());
        }
        if (v.getProjected() != null) {
            projected(v.getProjected());
        }
        if (v.getEphemeral() != null && v.getEphemeral().getVolumeClaimTemplate() != null) {
            PersistentVolumeClaimTemplate t = v.getEphemeral().getVolumeClaimTemplate();
            t.setSpec(ClaimDefaults.claimSpec(t.getSpec()));
        }
        if (v.getIscsi() != null) {
            iscsi(v.getIscsi());
        }
        if (v.getRbd() != null) {
            rbd(v.getRbd());
        }
        if (v.getAzureDisk() != null) {
            azureDisk(v.getAzureDisk());
        }
        if (v.getScaleIO() != null) {
            scaleIO(v.getScaleIO());
        }
    }

    private static void projected(ProjectedVolumeSource p) {
        if (p.getDefaultMode() == null) {
            p.setDefaultMode(DEFAULT_FILE_MODE);
        }
        if (p.getSources() == null) {
            return;
        }
        for (VolumeProjection s : p.getSources()) {
            if (s.getDownwardAPI() != null) {
                downwardItems(s.getDownwardAPI().getItems());
            }
            if (s.getServiceAccountToken() != null && s.getServiceAccountToken().getExpirationSeconds() == null) {
                s.getServiceAccountToken().setExpirationSeconds(TOKEN_EXPIRATION_SECONDS);
            }
        }
    }

    private static void downwardItems(@Nullable List<DownwardAPIVolumeFile> items) {
        if (items != null) {
            for (DownwardAPIVolumeFile f : items) {
                fieldRef(f.getFieldRef());
            }
        }
    }

    private static void iscsi(ISCSIVolumeSource s) {
        if (isEmpty(s.getIscsiInterface())) {
            s.setIscsiInterface("default");
        }
    }

    private static void rbd(RBDVolumeSource s) {
        if (isEmpty(s.getPool())) {
            s.setPool("rbd");
        }
        if (isEmpty(s.getUser())) {
            s.setUser("admin");
        }
        if (isEmpty(s.getKeyring())) {
            s.setKeyring("/etc/ceph/keyring");
        }
    }

    private static void azureDisk(AzureDiskVolumeSource s) {
        if (s.getCachingMode() == null) {
            s.setCachingMode("ReadWrite");
        }
        if (s.getKind() == null) {
            s.setKind("Shared");
        }
        if (s.getFsType() == null) {
            s.setFsType("ext4");
        }
        if (s.getReadOnly() == null) {
            s.setReadOnly(false);
        }
    }

    private static void scaleIO(ScaleIOVolumeSource s) {
        if (isEmpty(s.getStorageMode())) {
            s.setStorageMode("ThinProvisioned");
        }
        if (isEmpty(s.getFsType())) {
            s.setFsType("xfs");
        }
    }

    /** Go's {@code ptr.AllPtrFieldsNil(&volume.VolumeSource)}. */
    private static boolean hasNoSource(Volume v) {
        return v.getEmptyDir() == null
                && v.getPersistentVolumeClaim() == null
                && v.getConfigMap() == null
                && v.getSecret() == null
                && v.getProjected() == null
                && v.getDownwardAPI() == null
                && v.getHostPath() == null
                && v.getEphemeral() == null
                && v.getCsi() == null
                && v.getImage() == null
                && v.getNfs() == null
                && v.getIscsi() == null
                && v.getRbd() == null
                && v.getAzureDisk() == null
                && v.getAzureFile() == null
                && v.getScaleIO() == null
                && v.getAwsElasticBlockStore() == null
                && v.getGcePersistentDisk() == null
                && v.getGitRepo() == null
                && v.getGlusterfs() == null
                && v.getCephfs() == null
                && v.getCinder() == null
                && v.getFc() == null
                && v.getFlexVolume() == null
                && v.getFlocker() == null
                && v.getPhotonPersistentDisk() == null
                && v.getPortworxVolume() == null
                && v.getQuobyte() == null
                && v.getStorageos() == null
                && v.getVsphereVolume() == null;
    }

    /** Copies every limit without a request into the requests (Pods only, not templates). */
    private static void requestsFromLimits(Container c) {
        ResourceRequirements r = c.getResources();
        if (r == null || r.getLimits() == null || r.getLimits().isEmpty()) {
            return;
        }
        Map<String, Quantity> requests = r.getRequests();
        Map<String, Quantity> copy = null;
        for (Map.Entry<String, Quantity> e : r.getLimits().entrySet()) {
            if (requests == null || !requests.containsKey(e.getKey())) {
                if (copy == null) {
                    copy = requests == null ? new LinkedHashMap<>() : new LinkedHashMap<>(requests);
                }
                Quantity q = e.getValue();
                copy.put(e.getKey(), q == null ? null : new Quantity(q.getAmount(), q.getFormat()));
            }
        }
        if (copy != null) {
            r.setRequests(copy);
        }
    }

    private static void hostPorts(@Nullable List<Container> containers) {
        if (containers == null) {
            return;
        }
        for (Container c : containers) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                if (isZero(p.getHostPort()) && p.getContainerPort() != null) {
                    p.setHostPort(p.getContainerPort());
                }
            }
        }
    }

    static boolean isEmpty(@Nullable String s) {
        return s == null || s.isEmpty();
    }

    static boolean isZero(@Nullable Integer i) {
        return i == null || i == 0;
    }
}
