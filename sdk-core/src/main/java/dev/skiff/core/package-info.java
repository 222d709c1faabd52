/**
 * Skiff's workload model and client: describe AI workloads as typed values, render them to
 * Kubernetes objects, validate them as an API server would, and run them.
 */
@SkiffStyle
@NullMarked
package dev.skiff.core;

import org.jspecify.annotations.NullMarked;
