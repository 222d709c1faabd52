/**
 * The in-memory cluster's CronJob controller, as pure functions: given a CronJob, its Jobs and the
 * time, what the Kubernetes CronJob controller would create, delete, record and write.
 */
@NullMarked
package dev.skiff.testing.internal.cronjob;

import org.jspecify.annotations.NullMarked;
