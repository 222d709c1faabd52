package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;

/**
 * The ServiceAccount admission plugin on pod creation: {@code serviceAccountName} defaults to
 * {@code default}, the ServiceAccount must exist (403 otherwise), its image pull secrets are copied
 * to a pod that has none, and unless the pod or the account turns it off, a projected {@code
 * kube-api-access-<5 random>} volume (token, the root CA, the namespace) is mounted read-only in
 * every init container and container that has nothing at the token path yet.
 */
final class ServiceAccountAdmission {
    static final String DEFAULT = "default";
    static final String VOLUME_PREFIX = "kube-api-access-";
    static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** The bound token's lifetime the plugin asks for: an hour and seven seconds. */
    static final long TOKEN_EXPIRATION_SECONDS = 3607;

    private ServiceAccountAdmission() {}

    /** Admits a new pod; {@code name} is its name as admission reports it (the generateName if any). */
    static void admit(ApiServer api, Pod pod, String name) {
        PodSpec spec = pod.getSpec();
        if (spec == null || isMirrorPod(pod)) {
            return;
        }
        if (spec.getServiceAccountName() == null || spec.getServiceAccountName().isEmpty()) {
            spec.setServiceAccountName(DEFAULT);
            spec.setServiceAccount(DEFAULT);
        }
        String namespace = pod.getMetadata().getNamespace();
        String account = spec.getServiceAccountName();
        ServiceAccount sa = (ServiceAccount) api.find(ResourceTypes.SERVICE_ACCOUNTS, namespace, account);
        if (sa == null) {
            throw ApiException.forbidden(
                    ResourceTypes.PODS,
                    name,
                    "pods \"" + name + "\" is forbidden: error looking up service account " + namespace + "/" + account
                            + ": serviceaccount \"" + account + "\" not found");
        }
        if (automount(sa, spec)) {
            mountToken(api, spec);
        }
        if ((spec.getImagePullSecrets() == null || spec.getImagePullSecrets().isEmpty())
                && sa.getImagePullSecrets() != null
                && !sa.getImagePullSecrets().isEmpty()) {
            List<LocalObjectReference> secrets = new ArrayList<>();
            for (LocalObjectReference r : sa.getImagePullSecrets()) {
                secrets.add(new LocalObjectReference(r.getName()));
            }
            spec.setImagePullSecrets(secrets);
        }
    }

    private static boolean isMirrorPod(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey("kubernetes.io/config.mirror");
    }

    /** The pod's choice wins, then the account's; mounted unless one says no. */
    private static boolean automount(ServiceAccount sa, PodSpec spec) {
        if (spec.getAutomountServiceAccountToken() != null) {
            return spec.getAutomountServiceAccountToken();
        }
        if (sa.getAutomountServiceAccountToken() != null) {
            return sa.getAutomountServiceAccountToken();
        }
        return true;
    }

    private static void mountToken(ApiServer api, PodSpec spec) {
        String volume = null;
        if (spec.getVolumes() != null) {
            for (Volume v : spec.getVolumes()) {
                if (v.getName() != null && v.getName().startsWith(VOLUME_PREFIX)) {
                    volume = v.getName();
                    break;
                }
            }
        }
        boolean hasVolume = volume != null;
        if (volume == null) {
            volume = VOLUME_PREFIX + api.randomSuffix(5);
        }
        boolean needed = mount(spec.getInitContainers(), volume);
        needed |= mount(spec.getContainers(), volume);
        if (!hasVolume && needed) {
            List<Volume> volumes = spec.getVolumes() == null ? new ArrayList<>() : new ArrayList<>(spec.getVolumes());
            volumes.add(tokenVolume(volume));
            spec.setVolumes(volumes);
        }
    }

    /** Mounts the volume in every container without a mount at the token path; whether any needed it. */
    private static boolean mount(List<Container> containers, String volume) {
        boolean needed = false;
        if (containers == null) {
            return false;
        }
        for (Container c : containers) {
            boolean mounted = false;
            if (c.getVolumeMounts() != null) {
                for (VolumeMount m : c.getVolumeMounts()) {
                    if (MOUNT_PATH.equals(m.getMountPath())) {
                        mounted = true;
                        break;
                    }
                }
            }
            if (!mounted) {
                List<VolumeMount> mounts =
                        c.getVolumeMounts() == null ? new ArrayList<>() : new ArrayList<>(c.getVolumeMounts());
                VolumeMount m = new VolumeMount();
                m.setName(volume);
                m.setReadOnly(true);
                m.setMountPath(MOUNT_PATH);
                mounts.add(m);
                c.setVolumeMounts(mounts);
                needed = true;
            }
        }
        return needed;
    }

    private static Volume tokenVolume(String name) {
        VolumeProjection token = new VolumeProjection();
        var tokenSource = new io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection();
        tokenSource.setPath("token");
        tokenSource.setExpirationSeconds(TOKEN_EXPIRATION_SECONDS);
        token.setServiceAccountToken(tokenSource);

        VolumeProjection ca = new VolumeProjection();
        var caSource = new io.fabric8.kubernetes.api.model.ConfigMapProjection();
        caSource.setName(RootCa.CONFIG_MAP);
        KeyToPath item = new KeyToPath();
        item.setKey("ca.crt");
        item.setPath("ca.crt");
        caSource.setItems(new ArrayList<>(List.of(item)));
        ca.setConfigMap(caSource);

        VolumeProjection namespace = new VolumeProjection();
        var downward = new io.fabric8.kubernetes.api.model.DownwardAPIProjection();
        DownwardAPIVolumeFile file = new DownwardAPIVolumeFile();
        file.setPath("namespace");
        file.setFieldRef(new ObjectFieldSelector("v1", "metadata.namespace"));
        downward.setItems(new ArrayList<>(List.of(file)));
        namespace.setDownwardAPI(downward);

        ProjectedVolumeSource projected = new ProjectedVolumeSource();
        projected.setDefaultMode(420);
        projected.setSources(new ArrayList<>(List.of(token, ca, namespace)));
        Volume v = new Volume();
        v.setName(name);
        v.setProjected(projected);
        return v;
    }
}
