package dev.skiff.core;

/**
 * The extension point of Skiff's rendering: a value that shapes a workload's rendered pod
 * template and may add objects of its own.
 *
 * <p>GPU requests, distributed-training wiring and queue labels are traits; users write their own
 * the same way. A trait receives a {@link RenderContext} after Skiff has rendered the workload and
 * before the result is validated, so whatever a trait produces goes through the same API-server
 * rules. Traits are applied in the order they were added.
 *
 * <p>Implementations must be immutable values with {@code equals} and {@code hashCode} (a record
 * or an Immutables value), and {@link #apply} must be deterministic: the same workload always
 * renders to the same objects.
 *
 * <pre>{@code
 * record CostCenter(String id) implements Trait {
 *     public void apply(RenderContext context) {
 *         context.podLabels().put("acme.com/cost-center", id);
 *         context.workloadLabels().put("acme.com/cost-center", id);
 *     }
 * }
 * }</pre>
 */
public interface Trait {
    /**
     * Shapes the rendered workload.
     *
     * @param context the rendered objects, mutable while the trait runs
     */
    void apply(RenderContext context);
}
