/** The in-memory cluster's built-in controllers (garbage collector, namespaces, nodes). Internal. */
@NullMarked
package dev.skiff.testing.internal.controllers;

import org.jspecify.annotations.NullMarked;
