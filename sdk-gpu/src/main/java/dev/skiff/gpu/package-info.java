/** Skiff gpu support. */
@NullMarked
package dev.skiff.gpu;

import org.jspecify.annotations.NullMarked;
