/**
 * The in-memory cluster's Job controller: a pure, deterministic reconcile function that mirrors
 * kubernetes/kubernetes {@code pkg/controller/job}.
 *
 * <p>Internal: not part of Skiff's API.
 */
@NullMarked
package dev.skiff.testing.internal.job;

import org.jspecify.annotations.NullMarked;
