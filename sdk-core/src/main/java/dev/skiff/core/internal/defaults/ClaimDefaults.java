package dev.skiff.core.internal.defaults;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import org.jspecify.annotations.Nullable;

/** PersistentVolumeClaims, their specs, and the claim templates of StatefulSets and ephemeral volumes. */
public final class ClaimDefaults {
    private ClaimDefaults() {}

    /** {@code SetDefaults_PersistentVolumeClaimSpec}: {@code volumeMode: Filesystem}. */
    static PersistentVolumeClaimSpec claimSpec(@Nullable PersistentVolumeClaimSpec spec) {
        PersistentVolumeClaimSpec s = spec == null ? new PersistentVolumeClaimSpec() : spec;
        if (s.getVolumeMode() == null) {
            s.setVolumeMode("Filesystem");
        }
        return s;
    }

    /**
     * A PersistentVolumeClaim created on its own. Its {@code status.phase: Pending} default is left
     * out: the registry clears the status before it stores the claim.
     */
    public static void claim(PersistentVolumeClaim pvc) {
        pvc.setSpec(claimSpec(pvc.getSpec()));
    }

    /**
     * A claim template of a StatefulSet: the spec default and {@code status.phase: Pending}, which
     * the registry does not clear here, so it shows in the stored StatefulSet.
     */
    static void claimTemplate(PersistentVolumeClaim pvc) {
        pvc.setSpec(claimSpec(pvc.getSpec()));
        PersistentVolumeClaimStatus status = pvc.getStatus();
        if (status == null) {
            status = new PersistentVolumeClaimStatus();
            pvc.setStatus(status);
        }
        if (PodDefaults.isEmpty(status.getPhase())) {
            status.setPhase("Pending");
        }
    }
}
