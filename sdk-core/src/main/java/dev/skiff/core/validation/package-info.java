/**
 * The rules a Kubernetes API server applies to the objects Skiff renders, runnable offline.
 *
 * <p>{@link dev.skiff.core.validation.Validator#validate(io.fabric8.kubernetes.api.model.HasMetadata)}
 * returns every {@link dev.skiff.core.validation.Violation} in a Job, CronJob, Pod, Deployment,
 * StatefulSet, Service, PersistentVolumeClaim, ConfigMap or Secret, with the field paths and
 * wording of the API server. Skiff's builders run these rules, the in-memory cluster runs them on
 * every write, and users can run them on any manifest in their own CI.
 */
@NullMarked
package dev.skiff.core.validation;

import org.jspecify.annotations.NullMarked;
