/**
 * A picture of a run: pod transitions recorded as they happen, rendered as a self-contained HTML
 * page with an inline SVG. Internal.
 */
@NullMarked
package dev.skiff.testing.internal.timeline;

import org.jspecify.annotations.NullMarked;
