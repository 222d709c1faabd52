/** The API server's validation rules behind {@code dev.skiff.core.validation.Validator}; internal. */
@NullMarked
package dev.skiff.core.internal.validation;

import org.jspecify.annotations.NullMarked;
