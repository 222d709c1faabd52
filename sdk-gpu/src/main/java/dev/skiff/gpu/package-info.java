/**
 * GPU requests for Skiff workloads: {@link dev.skiff.gpu.Gpu} asks for whole GPUs of a vendor,
 * optionally of given models ({@link dev.skiff.gpu.GpuModel}) or minimum memory, MIG slices,
 * shared or fractional GPUs ({@link dev.skiff.gpu.GpuSharing}), or devices through DRA, with the
 * tolerations and shared memory AI pods need.
 *
 * <p>{@link dev.skiff.gpu.GpuInventory} reads what accelerators a cluster has and which are free
 * ({@link dev.skiff.gpu.NodeGpus}), and {@link dev.skiff.gpu.GpuInventory#plan} says whether a
 * workload can fit before it is submitted ({@link dev.skiff.gpu.Plan}).
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
