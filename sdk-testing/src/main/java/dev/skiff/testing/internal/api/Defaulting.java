package dev.skiff.testing.internal.api;

import dev.skiff.core.validation.Defaults;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** The API server's defaulting, shared with skiff-core's {@link Defaults}. */
final class Defaulting {
    private Defaulting() {}

    static void apply(HasMetadata object) {
        Defaults.apply(object);
    }

    static void generateJobSelector(Job job, String uid) {
        Defaults.generateJobSelector(job, uid);
    }
}
