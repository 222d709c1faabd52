/** Skiff testing support. */
@NullMarked
package dev.skiff.testing;

import org.jspecify.annotations.NullMarked;
