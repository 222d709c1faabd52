package dev.skiff.gpu;

/**
 * How the NVIDIA GPU operator advertises MIG slices on a cluster's nodes, for {@link
 * Gpu#mig(String, int, MigStrategy)}.
 *
 * <pre>{@code
 * Gpu.nvidia(1).mig("1g.10gb", 1);                       // MIXED: nvidia.com/mig-1g.10gb
 * Gpu.nvidia(1).mig("1g.10gb", 1, MigStrategy.SINGLE);   // nvidia.com/gpu on a ...-MIG-1g.10gb node
 * }</pre>
 */
public enum MigStrategy {
    /** Each profile is its own extended resource, {@code nvidia.com/mig-<profile>}. */
    MIXED,
    /**
     * Every GPU of a node is cut into the same slices, still advertised as {@code nvidia.com/gpu};
     * GPU Feature Discovery appends {@code -MIG-<profile>} to the product label.
     */
    SINGLE
}
