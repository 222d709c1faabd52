/**
 * The in-memory cluster's ReplicaSet, Deployment and StatefulSet controllers: pure, deterministic
 * reconcile functions that mirror kubernetes/kubernetes {@code pkg/controller/replicaset}, {@code
 * pkg/controller/deployment} and {@code pkg/controller/statefulset}.
 *
 * <p>Internal: not part of Skiff's API.
 */
@NullMarked
package dev.skiff.testing.internal.apps;

import org.jspecify.annotations.NullMarked;
