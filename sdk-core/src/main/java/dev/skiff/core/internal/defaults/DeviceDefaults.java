package dev.skiff.core.internal.defaults;

import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceSubRequest;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceToleration;
import io.fabric8.kubernetes.api.model.resource.v1.ExactDeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimSpec;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code resource.k8s.io/v1} claims and claim templates: {@code SetDefaults_ExactDeviceRequest},
 * {@code SetDefaults_DeviceSubRequest} and the {@code Equal} operator of device tolerations.
 */
public final class DeviceDefaults {
    private DeviceDefaults() {}

    /** A ResourceClaimTemplate's claim spec. */
    public static void claimTemplate(ResourceClaimTemplate template) {
        if (template.getSpec() != null) {
            claimSpec(template.getSpec().getSpec());
        }
    }

    /** A ResourceClaim's spec (its status, written by the scheduler, is left alone). */
    public static void claim(ResourceClaim claim) {
        claimSpec(claim.getSpec());
    }

    private static void claimSpec(@Nullable ResourceClaimSpec spec) {
        if (spec == null || spec.getDevices() == null || spec.getDevices().getRequests() == null) {
            return;
        }
        for (DeviceRequest request : spec.getDevices().getRequests()) {
            ExactDeviceRequest exactly = request.getExactly();
            if (exactly != null) {
                if (PodDefaults.isEmpty(exactly.getAllocationMode())) {
                    exactly.setAllocationMode("ExactCount");
                }
                if (exactly.getAllocationMode().equals("ExactCount")
                        && (exactly.getCount() == null || exactly.getCount() == 0)) {
                    exactly.setCount(1L);
                }
                tolerations(exactly.getTolerations());
            }
            if (request.getFirstAvailable() != null) {
                for (DeviceSubRequest sub : request.getFirstAvailable()) {
                    if (PodDefaults.isEmpty(sub.getAllocationMode())) {
                        sub.setAllocationMode("ExactCount");
                    }
                    if (sub.getAllocationMode().equals("ExactCount")
                            && (sub.getCount() == null || sub.getCount() == 0)) {
                        sub.setCount(1L);
                    }
                    tolerations(sub.getTolerations());
                }
            }
        }
    }

    private static void tolerations(@Nullable List<DeviceToleration> tolerations) {
        if (tolerations != null) {
            for (DeviceToleration t : tolerations) {
                if (PodDefaults.isEmpty(t.getOperator())) {
                    t.setOperator("Equal");
                }
            }
        }
    }
}
