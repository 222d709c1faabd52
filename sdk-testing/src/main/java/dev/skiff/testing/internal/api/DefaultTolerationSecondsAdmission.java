package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;

/**
 * The DefaultTolerationSeconds admission plugin: a pod that does not tolerate the {@code
 * not-ready} or {@code unreachable} NoExecute taints gets a toleration of 300 seconds for each.
 */
final class DefaultTolerationSecondsAdmission {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final long SECONDS = 300;

    private DefaultTolerationSecondsAdmission() {}

    /** Adds the missing tolerations, on create and on update alike. */
    static void admit(Pod pod) {
        if (pod.getSpec() == null) {
            return;
        }
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        boolean notReady = false;
        boolean unreachable = false;
        if (tolerations != null) {
            for (Toleration t : tolerations) {
                notReady |= covers(t, NOT_READY);
                unreachable |= covers(t, UNREACHABLE);
            }
        }
        if (notReady && unreachable) {
            return;
        }
        List<Toleration> next = tolerations == null ? new ArrayList<>() : new ArrayList<>(tolerations);
        if (!notReady) {
            next.add(toleration(NOT_READY));
        }
        if (!unreachable) {
            next.add(toleration(UNREACHABLE));
        }
        pod.getSpec().setTolerations(next);
    }

    private static boolean covers(Toleration t, String key) {
        boolean anyKey = t.getKey() == null || t.getKey().isEmpty();
        boolean anyEffect = t.getEffect() == null || t.getEffect().isEmpty();
        return (anyKey || key.equals(t.getKey())) && (anyEffect || "NoExecute".equals(t.getEffect()));
    }

    private static Toleration toleration(String key) {
        Toleration t = new Toleration();
        t.setKey(key);
        t.setOperator("Exists");
        t.setEffect("NoExecute");
        t.setTolerationSeconds(SECONDS);
        return t;
    }
}
