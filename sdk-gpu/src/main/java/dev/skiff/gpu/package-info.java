/**
 * GPU requests for Skiff workloads: {@link dev.skiff.gpu.Gpu} asks for whole GPUs of a vendor,
 * optionally of given models, with the tolerations and shared memory AI pods need.
 */
@SkiffStyle
@NullMarked
package dev.skiff.gpu;

import dev.skiff.core.SkiffStyle;
import org.jspecify.annotations.NullMarked;
