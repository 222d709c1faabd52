package dev.skiff.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of Skiff's value types.
 *
 * <p>Generated {@code Immutable*} classes are package-private; each value type exposes a nested
 * {@code Builder} and {@code builder()} / {@code toBuilder()} so users never see generated names.
 * Collections keep insertion order so that rendering is deterministic.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
        visibility = Value.Style.ImplementationVisibility.PACKAGE,
        overshadowImplementation = true,
        jdkOnly = true,
        defaults = @Value.Immutable(prehash = false, copy = false),
        depluralize = true,
        depluralizeDictionary = {"trait", "container", "volume", "annotation:annotations", "label:labels"},
        optionalAcceptNullable = false)
public @interface SkiffStyle {}
