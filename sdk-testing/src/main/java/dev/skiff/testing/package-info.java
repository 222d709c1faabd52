/**
 * An in-memory Kubernetes for tests: {@link dev.skiff.testing.InMemoryCluster} serves the
 * Kubernetes API over HTTP on a loopback port, validates and defaults like a real API server, and
 * runs on a virtual clock. Any Kubernetes client, fabric8's and kubectl included, can talk to it.
 */
@SkiffStyle
@NullMarked
package dev.skiff.testing;

import dev.skiff.core.SkiffStyle;
import org.jspecify.annotations.NullMarked;
