package dev.skiff.gpu;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodResourceClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.resource.v1.CELDeviceSelector;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceClaim;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.DeviceSelector;
import io.fabric8.kubernetes.api.model.resource.v1.ExactDeviceRequest;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimSpec;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplate;
import io.fabric8.kubernetes.api.model.resource.v1.ResourceClaimTemplateSpec;
import java.util.ArrayList;
import java.util.List;

/** The {@code resource.k8s.io/v1} objects and pod references of a DRA GPU claim. */
final class DraClaims {
    private DraClaims() {}

    /** A claim template with one request, {@code request}, of {@code count} devices of {@code deviceClass}. */
    static ResourceClaimTemplate template(
            String name, String request, String deviceClass, int count, List<String> celSelectors) {
        ExactDeviceRequest exactly = new ExactDeviceRequest();
        exactly.setDeviceClassName(deviceClass);
        exactly.setAllocationMode("ExactCount");
        exactly.setCount((long) count);
        if (!celSelectors.isEmpty()) {
            List<DeviceSelector> selectors = new ArrayList<>();
            for (String expression : celSelectors) {
                DeviceSelector s = new DeviceSelector();
                s.setCel(new CELDeviceSelector(expression));
                selectors.add(s);
            }
            exactly.setSelectors(selectors);
        }
        DeviceRequest r = new DeviceRequest();
        r.setName(request);
        r.setExactly(exactly);
        DeviceClaim devices = new DeviceClaim();
        devices.setRequests(new ArrayList<>(List.of(r)));
        ResourceClaimSpec claim = new ResourceClaimSpec();
        claim.setDevices(devices);
        ResourceClaimTemplateSpec spec = new ResourceClaimTemplateSpec();
        spec.setSpec(claim);
        ResourceClaimTemplate template = new ResourceClaimTemplate();
        template.setApiVersion("resource.k8s.io/v1");
        template.setKind("ResourceClaimTemplate");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        template.setMetadata(meta);
        template.setSpec(spec);
        return template;
    }

    /** Lists the template in the pod's {@code resourceClaims} and the claim in {@code main}'s resources. */
    static void reference(PodSpec pod, Container main, String claim, String template) {
        if (pod.getResourceClaims() == null) {
            pod.setResourceClaims(new ArrayList<>());
        }
        PodResourceClaim prc = new PodResourceClaim();
        prc.setName(claim);
        prc.setResourceClaimTemplateName(template);
        pod.getResourceClaims().add(prc);
        if (main.getResources() == null) {
            main.setResources(new ResourceRequirements());
        }
        if (main.getResources().getClaims() == null) {
            main.getResources().setClaims(new ArrayList<>());
        }
        ResourceClaim c = new ResourceClaim();
        c.setName(claim);
        main.getResources().getClaims().add(c);
    }
}
