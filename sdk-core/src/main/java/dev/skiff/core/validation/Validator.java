package dev.skiff.core.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks Kubernetes objects against the rules a kube-apiserver applies on create.
 *
 * <p>Placeholder: the rules are being written.
 */
public final class Validator {
    private Validator() {}

    /**
     * Returns every violation in {@code object}, in the order the API server reports them; an
     * empty list when the object is valid.
     *
     * @param object a Job, CronJob, Pod, Deployment, StatefulSet, Service, ...
     * @return the violations, never {@code null}
     */
    public static List<Violation> validate(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        return new ArrayList<>();
    }
}
