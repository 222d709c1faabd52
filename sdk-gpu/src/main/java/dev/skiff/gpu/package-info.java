/**
 * GPU requests for Skiff workloads: {@link dev.skiff.gpu.Gpu} asks for whole GPUs of a vendor,
 * optionally of given models, with the tolerations and shared memory AI pods need.
 *
 * <p>{@link dev.skiff.gpu.DistributedTraining} wires a multi-node training run on a plain indexed
 * Job; {@link dev.skiff.gpu.Queue} submits through a Kueue queue; {@link dev.skiff.gpu.Gang} hands
 * a Job to a batch scheduler (Volcano, KAI, scheduler-plugins Coscheduling).
 */
@SkiffStyle
@NullMarked
package dev.skiff.gpu;

import dev.skiff.core.SkiffStyle;
import org.jspecify.annotations.NullMarked;
