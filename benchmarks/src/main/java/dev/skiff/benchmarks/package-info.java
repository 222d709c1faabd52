/**
 * Benchmarks of Skiff against named peers (raw fabric8, ...). Not an API: nothing here is
 * published. See {@code docs/benchmarks.md} for the goals, commands and latest figures.
 */
@NullMarked
package dev.skiff.benchmarks;

import org.jspecify.annotations.NullMarked;
