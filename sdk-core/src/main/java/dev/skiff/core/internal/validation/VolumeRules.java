package dev.skiff.core.internal.validation;

import static dev.skiff.core.internal.validation.MetaRules.str;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Pod volumes and container volume mounts. */
final class VolumeRules {
    private VolumeRules() {}

    static final String FILE_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive";
    private static final List<String> HOST_PATH_TYPES = List.of(
            "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket");

    /** Go's {@code ValidateVolumes}: returns the valid volumes by name, for mounts to refer to. */
    static Map<String, Volume> volumes(@Nullable List<Volume> volumes, Path path, Errors errs) {
        if (volumes == null || volumes.isEmpty()) {
            return Map.of();
        }
        Map<String, Volume> byName = new HashMap<>();
        for (int i = 0; i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            Path p = path.index(i);
            int before = errs.size();
            source(v, p, errs);
            String name = str(v.getName());
            if (name.isEmpty()) {
                errs.required(p.child("name"), "");
            } else {
                errs.invalidEach(p.child("name"), name, Names.dns1123Label(name));
            }
            if (byName.containsKey(name)) {
                errs.duplicate(p.child("name"), name);
            }
            if (errs.size() == before) {
                byName.put(name, v);
            }
        }
        return byName;
    }

    private static int count(int n, @Nullable Object source, Path p, String field, Errors errs) {
        if (source == null) {
            return n;
        }
        if (n > 0) {
            errs.forbidden(p.child(field), "may not specify more than 1 volume type");
        }
        return n + 1;
    }

    /** At most one source, checked in the server's order (its {@code downwarAPI} typo included). */
    private static void source(Volume v, Path p, Errors errs) {
        int n = 0;
        if (v.getEmptyDir() != null) {
            n++;
            Quantity limit = v.getEmptyDir().getSizeLimit();
            if (limit != null) {
                BigDecimal q = Quantities.parse(Quantities.text(limit));
                if (q == null || q.signum() < 0) {
                    errs.forbidden(
                            p.child("emptyDir", "sizeLimit"), "SizeLimit field must be a valid resource quantity");
                }
            }
        }
        int hostPath = n;
        n = count(n, v.getHostPath(), p, "hostPath", errs);
        if (n > hostPath && hostPath == 0) {
            String hp = str(v.getHostPath().getPath());
            if (hp.isEmpty()) {
                errs.required(p.child("hostPath", "path"), "");
            } else {
                noBacksteps(hp, p.child("hostPath", "path"), errs);
                String type = v.getHostPath().getType();
                if (type != null && !HOST_PATH_TYPES.contains(type)) {
                    errs.notSupported(p.child("hostPath", "type"), type, HOST_PATH_TYPES);
                }
            }
        }
        n = count(n, v.getGitRepo(), p, "gitRepo", errs);
        n = count(n, v.getGcePersistentDisk(), p, "gcePersistentDisk", errs);
        n = count(n, v.getAwsElasticBlockStore(), p, "awsElasticBlockStore", errs);
        int secret = n;
        n = count(n, v.getSecret(), p, "secret", errs);
        if (n > secret && secret == 0) {
            Path sp = p.child("secret");
            if (str(v.getSecret().getSecretName()).isEmpty()) {
                errs.required(sp.child("secretName"), "");
            }
            mode(v.getSecret().getDefaultMode(), sp.child("defaultMode"), errs);
            items(v.getSecret().getItems(), sp.child("items"), errs);
        }
        int nfs = n;
        n = count(n, v.getNfs(), p, "nfs", errs);
        if (n > nfs && nfs == 0) {
            Path np = p.child("nfs");
            if (str(v.getNfs().getServer()).isEmpty()) {
                errs.required(np.child("server"), "");
            }
            String path = str(v.getNfs().getPath());
            if (path.isEmpty()) {
                errs.required(np.child("path"), "");
            }
            if (!path.startsWith("/")) {
                errs.invalid(np.child("path"), path, "must be an absolute path");
            }
        }
        n = count(n, v.getIscsi(), p, "iscsi", errs);
        n = count(n, v.getGlusterfs(), p, "glusterfs", errs);
        n = count(n, v.getFlocker(), p, "flocker", errs);
        int pvc = n;
        n = count(n, v.getPersistentVolumeClaim(), p, "persistentVolumeClaim", errs);
        if (n > pvc
                && pvc == 0
                && str(v.getPersistentVolumeClaim().getClaimName()).isEmpty()) {
            errs.required(p.child("persistentVolumeClaim", "claimName"), "");
        }
        n = count(n, v.getRbd(), p, "rbd", errs);
        n = count(n, v.getCinder(), p, "cinder", errs);
        n = count(n, v.getCephfs(), p, "cephFS", errs);
        n = count(n, v.getQuobyte(), p, "quobyte", errs);
        int downward = n;
        n = count(n, v.getDownwardAPI(), p, "downwarAPI", errs);
        if (n > downward && downward == 0) {
            mode(v.getDownwardAPI().getDefaultMode(), p.child("downwardAPI", "defaultMode"), errs);
        }
        n = count(n, v.getFc(), p, "fc", errs);
        n = count(n, v.getFlexVolume(), p, "flexVolume", errs);
        int configMap = n;
        n = count(n, v.getConfigMap(), p, "configMap", errs);
        if (n > configMap && configMap == 0) {
            Path cp = p.child("configMap");
            if (str(v.getConfigMap().getName()).isEmpty()) {
                errs.required(cp.child("name"), "");
            }
            mode(v.getConfigMap().getDefaultMode(), cp.child("defaultMode"), errs);
            items(v.getConfigMap().getItems(), cp.child("items"), errs);
        }
        n = count(n, v.getAzureFile(), p, "azureFile", errs);
        n = count(n, v.getVsphereVolume(), p, "vsphereVolume", errs);
        n = count(n, v.getPhotonPersistentDisk(), p, "photonPersistentDisk", errs);
        n = count(n, v.getPortworxVolume(), p, "portworxVolume", errs);
        n = count(n, v.getAzureDisk(), p, "azureDisk", errs);
        n = count(n, v.getStorageos(), p, "storageos", errs);
        int projected = n;
        n = count(n, v.getProjected(), p, "projected", errs);
        if (n > projected && projected == 0) {
            projected(v, p.child("projected"), errs);
        }
        n = count(n, v.getScaleIO(), p, "scaleIO", errs);
        int csi = n;
        n = count(n, v.getCsi(), p, "csi", errs);
        if (n > csi && csi == 0 && str(v.getCsi().getDriver()).isEmpty()) {
            errs.required(p.child("csi", "driver"), "");
        }
        int ephemeral = n;
        n = count(n, v.getEphemeral(), p, "ephemeral", errs);
        if (n > ephemeral && ephemeral == 0) {
            Path ep = p.child("ephemeral", "volumeClaimTemplate");
            if (v.getEphemeral().getVolumeClaimTemplate() == null) {
                errs.required(ep, "");
            } else {
                PersistentVolumeClaimSpec spec =
                        v.getEphemeral().getVolumeClaimTemplate().getSpec();
                StorageRules.claimSpec(spec, ep.child("spec"), errs);
            }
        }
        count(n, v.getImage(), p, "image", errs);
        // No source at all is not an error: SetDefaults_Volume gives such a volume an emptyDir.
    }

    private static void projected(Volume v, Path p, Errors errs) {
        mode(v.getProjected().getDefaultMode(), p.child("defaultMode"), errs);
        List<VolumeProjection> sources = v.getProjected().getSources();
        if (sources == null) {
            return;
        }
        for (int i = 0; i < sources.size(); i++) {
            VolumeProjection s = sources.get(i);
            Path sp = p.child("sources").index(i);
            int n = 0;
            if (s.getSecret() != null) {
                n++;
                if (str(s.getSecret().getName()).isEmpty()) {
                    errs.required(sp.child("secret", "name"), "");
                }
                items(s.getSecret().getItems(), sp.child("secret", "items"), errs);
            }
            if (s.getConfigMap() != null) {
                n++;
                if (str(s.getConfigMap().getName()).isEmpty()) {
                    errs.required(sp.child("configMap", "name"), "");
                }
                items(s.getConfigMap().getItems(), sp.child("configMap", "items"), errs);
            }
            if (s.getDownwardAPI() != null) {
                n++;
            }
            if (s.getServiceAccountToken() != null) {
                n++;
                long exp = s.getServiceAccountToken().getExpirationSeconds() == null
                        ? 3600
                        : s.getServiceAccountToken().getExpirationSeconds();
                if (exp < 600) {
                    errs.invalid(
                            sp.child("serviceAccountToken", "expirationSeconds"),
                            exp,
                            "may not specify a duration less than 10 minutes");
                }
                if (exp > (1L << 32)) {
                    errs.invalid(
                            sp.child("serviceAccountToken", "expirationSeconds"),
                            exp,
                            "may not specify a duration larger than 2^32 seconds");
                }
                if (str(s.getServiceAccountToken().getPath()).isEmpty()) {
                    errs.required(p.child("path"), "");
                }
            }
            if (s.getClusterTrustBundle() != null) {
                n++;
            }
            if (s.getPodCertificate() != null) {
                n++;
            }
            if (n > 1) {
                errs.forbidden(sp, "may not specify more than 1 volume type per source");
            }
        }
    }

    private static void mode(@Nullable Integer mode, Path p, Errors errs) {
        if (mode != null && (mode > 0777 || mode < 0)) {
            errs.invalid(p, mode, FILE_MODE_MSG);
        }
    }

    private static void items(@Nullable List<KeyToPath> items, Path path, Errors errs) {
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            KeyToPath kp = items.get(i);
            Path p = path.index(i);
            if (str(kp.getKey()).isEmpty()) {
                errs.required(p.child("key"), "");
            }
            String file = str(kp.getPath());
            if (file.isEmpty()) {
                errs.required(p.child("path"), "");
            }
            localNonReservedPath(file, p.child("path"), errs);
            mode(kp.getMode(), p.child("mode"), errs);
        }
    }

    /** Go's {@code validateLocalDescendingPath}: relative, without {@code ..} elements. */
    static void localDescendingPath(String path, Path p, Errors errs) {
        if (path.startsWith("/")) {
            errs.invalid(p, path, "must be a relative path");
        }
        noBacksteps(path, p, errs);
    }

    static void localNonReservedPath(String path, Path p, Errors errs) {
        localDescendingPath(path, p, errs);
        if (path.startsWith("..") && !path.startsWith("../")) {
            errs.invalid(p, path, "must not start with '..'");
        }
    }

    static void noBacksteps(String path, Path p, Errors errs) {
        for (String part : path.replace('\\', '/').split("/", -1)) {
            if (part.equals("..")) {
                errs.invalid(p, path, "must not contain '..'");
                return;
            }
        }
    }

    /** Go's {@code ValidateVolumeMounts} (the subPath checks keep the server's unindexed path). */
    static void mounts(Container c, Map<String, Volume> vols, Path path, Errors errs) {
        List<VolumeMount> mounts = c.getVolumeMounts();
        if (mounts == null || mounts.isEmpty()) {
            return;
        }
        Set<String> mountPoints = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            VolumeMount m = mounts.get(i);
            Path p = path.index(i);
            String name = str(m.getName());
            if (name.isEmpty()) {
                errs.required(p.child("name"), "");
            }
            if (!vols.containsKey(name)) {
                errs.notFound(p.child("name"), name, "");
            }
            String mountPath = str(m.getMountPath());
            if (mountPath.isEmpty()) {
                errs.required(p.child("mountPath"), "");
            }
            if (!mountPoints.add(mountPath)) {
                errs.invalid(p.child("mountPath"), mountPath, "must be unique");
            }
            String subPath = str(m.getSubPath());
            if (!subPath.isEmpty()) {
                localDescendingPath(subPath, path.child("subPath"), errs);
            }
            String expr = str(m.getSubPathExpr());
            if (!expr.isEmpty()) {
                if (!subPath.isEmpty()) {
                    errs.invalid(p.child("subPathExpr"), expr, "subPathExpr and subPath are mutually exclusive");
                }
                localDescendingPath(expr, path.child("subPathExpr"), errs);
            }
            String propagation = m.getMountPropagation();
            if (propagation != null) {
                List<String> supported = List.of("Bidirectional", "HostToContainer", "None");
                if (!supported.contains(propagation)) {
                    errs.notSupported(path.child("mountPropagation"), propagation, supported);
                }
                boolean privileged = c.getSecurityContext() != null
                        && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged());
                if (propagation.equals("Bidirectional") && !privileged) {
                    errs.forbidden(
                            path.child("mountPropagation"),
                            "Bidirectional mount propagation is available only to privileged containers");
                }
            }
        }
    }
}
