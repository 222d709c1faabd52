/**
 * A deterministic, in-memory model of kube-scheduler's default profile: the filters that decide
 * whether a pod fits a node, the scores that pick one node among those that fit, and the {@code
 * FailedScheduling} message when none does.
 *
 * <p>Everything here is a pure function of its inputs (no threads, no clock, no I/O), so the
 * in-memory cluster can call it from its single engine thread and get the same answer every time.
 */
@NullMarked
package dev.skiff.testing.internal.scheduler;

import org.jspecify.annotations.NullMarked;
