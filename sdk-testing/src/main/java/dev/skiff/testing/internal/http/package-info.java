/** The in-memory cluster's HTTP face: REST paths, verbs, watches and discovery. Internal. */
@NullMarked
package dev.skiff.testing.internal.http;

import org.jspecify.annotations.NullMarked;
