package dev.skiff.core;

import dev.skiff.core.validation.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a workload, or a Kubernetes object rendered from it, breaks a rule that a Kubernetes
 * API server would enforce.
 *
 * <p>It carries <em>every</em> violation found, not only the first, each with the field path as
 * the API server names it (for example {@code spec.template.spec.containers[0].image}), the bad
 * value and the rule:
 *
 * <pre>{@code
 * try {
 *     BatchJob.builder().name("Bad_Name").container(Container.of("busybox")).build();
 * } catch (InvalidWorkloadException e) {
 *     for (Violation v : e.violations()) {
 *         System.err.println(v.field() + ": " + v.detail());
 *     }
 * }
 * }</pre>
 */
public class InvalidWorkloadException extends SkiffException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;
    private final transient List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param kind the Kubernetes kind that was checked, such as {@code Job}
     * @param name the object's name (may be empty when the name itself is missing)
     * @param violations every violation found; must not be empty
     */
    public InvalidWorkloadException(String kind, String name, List<Violation> violations) {
        super(message(kind, name, violations));
        this.kind = kind;
        this.name = name;
        this.violations = List.copyOf(violations);
    }

    /** Returns the Kubernetes kind that was checked, such as {@code Job}. */
    public String kind() {
        return kind;
    }

    /** Returns the name of the object that was checked; empty if the name was missing. */
    public String name() {
        return name;
    }

    /** Returns every violation found, in the order the API server would report them. */
    public List<Violation> violations() {
        return violations;
    }

    private static String message(String kind, String name, List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("violations must not be empty");
        }
        String head = kind + " \"" + name + "\" is invalid: ";
        // Identical violations (one rule the server checks twice) are listed once, as the server's
        // own message lists them.
        List<Violation> distinct = violations.stream().distinct().toList();
        if (distinct.size() == 1) {
            return head + distinct.get(0);
        }
        return head
                + distinct.size()
                + " violations:"
                + distinct.stream().map(v -> "\n  - " + v).collect(Collectors.joining());
    }
}
