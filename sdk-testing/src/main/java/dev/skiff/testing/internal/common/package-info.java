/** Helpers shared by the in-memory cluster's controllers. Internal. */
@NullMarked
package dev.skiff.testing.internal.common;

import org.jspecify.annotations.NullMarked;
