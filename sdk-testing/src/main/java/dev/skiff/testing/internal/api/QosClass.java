package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pod QoS class the API server sets on create: Guaranteed, Burstable or BestEffort. */
final class QosClass {
    private QosClass() {}

    static String of(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec() == null) {
            return "BestEffort";
        }
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : all) {
            Map<String, Quantity> req =
                    c.getResources() == null ? null : c.getResources().getRequests();
            Map<String, Quantity> lim =
                    c.getResources() == null ? null : c.getResources().getLimits();
            for (String r : List.of("cpu", "memory")) {
                Quantity rq = req == null ? null : req.get(r);
                Quantity lq = lim == null ? null : lim.get(r);
                if ((rq != null && !rq.getAmount().equals("0"))
                        || (lq != null && !lq.getAmount().equals("0"))) {
                    any = true;
                }
                if (lq == null) {
                    guaranteed = false;
                } else if (rq != null && rq.getNumericalAmount().compareTo(lq.getNumericalAmount()) != 0) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
