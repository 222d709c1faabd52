/** The in-memory cluster's single-threaded engine: virtual clock, timers, actors. Internal. */
@NullMarked
package dev.skiff.testing.internal.engine;

import org.jspecify.annotations.NullMarked;
