/** Cron schedules with Kubernetes' syntax and semantics; internal. */
@NullMarked
package dev.skiff.core.internal.cron;

import org.jspecify.annotations.NullMarked;
