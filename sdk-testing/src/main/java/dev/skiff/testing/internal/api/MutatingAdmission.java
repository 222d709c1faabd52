package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import org.jspecify.annotations.Nullable;

/**
 * The mutating admission plugins of a 1.36 API server that change objects the in-memory cluster
 * serves, in the server's order: ServiceAccount, Priority, DefaultTolerationSeconds. They run after
 * defaulting and before validation, so their 403s come before a 422.
 */
final class MutatingAdmission {
    private MutatingAdmission() {}

    /**
     * Admits a create ({@code old} null) or an update (not of a subresource) of {@code object};
     * {@code name} is the object's name as admission reports it (its generateName when the name is
     * yet to be generated).
     */
    static void admit(ApiServer api, HasMetadata object, @Nullable HasMetadata old, String name) {
        if (object instanceof Pod pod) {
            if (old == null) {
                ServiceAccountAdmission.admit(api, pod, name);
            }
            PriorityAdmission.admit(api, pod, (Pod) old, name);
            DefaultTolerationSecondsAdmission.admit(pod);
        }
    }
}
