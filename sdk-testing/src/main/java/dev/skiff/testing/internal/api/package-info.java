/** The in-memory API server: resource registry, store, selectors, request semantics. Internal. */
@NullMarked
package dev.skiff.testing.internal.api;

import org.jspecify.annotations.NullMarked;
