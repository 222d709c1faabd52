/**
 * The in-memory cluster's TTL-after-finished controller for Jobs, as a pure function: when a
 * finished Job with {@code spec.ttlSecondsAfterFinished} is due for deletion.
 */
@NullMarked
package dev.skiff.testing.internal.ttl;

import org.jspecify.annotations.NullMarked;
