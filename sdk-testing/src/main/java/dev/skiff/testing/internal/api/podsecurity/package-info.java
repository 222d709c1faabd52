/**
 * Pod Security admission as a v1.36 API server runs it: the baseline and restricted checks of the
 * Pod Security Standards by policy version, the namespace labels that choose them, and the answers
 * for pods (403 Forbidden), workload resources (warnings) and namespaces (422 Invalid, warnings
 * about existing pods). Internal.
 */
@NullMarked
package dev.skiff.testing.internal.api.podsecurity;

import org.jspecify.annotations.NullMarked;
