/**
 * The defaulting a kube-apiserver applies to objects before it validates them, behind {@code
 * dev.skiff.core.validation.Defaults}; internal.
 */
@NullMarked
package dev.skiff.core.internal.defaults;

import org.jspecify.annotations.NullMarked;
