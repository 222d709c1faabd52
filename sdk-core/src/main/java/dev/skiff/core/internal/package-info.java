/** Skiff's implementation details; not part of the public API and may change without notice. */
@NullMarked
package dev.skiff.core.internal;

import org.jspecify.annotations.NullMarked;
