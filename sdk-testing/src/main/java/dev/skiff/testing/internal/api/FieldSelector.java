package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A field selector ({@code ?fieldSelector=}): {@code field=value}, {@code field==value} and {@code
 * field!=value}, comma-separated and ANDed, over the fields the API server supports for each kind.
 */
public final class FieldSelector {
    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private record Term(String field, boolean equals, String value) {}

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    /** Returns a selector that matches everything. */
    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses a selector, checking that each field is supported for {@code type}.
     *
     * @throws ApiException 400 for an unsupported field, as the API server answers
     */
    public static FieldSelector parse(@Nullable String text, ResourceType type) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int ne = p.indexOf("!=");
            int eq = p.indexOf('=');
            Term t;
            if (ne >= 0) {
                t = new Term(
                        p.substring(0, ne).trim(), false, p.substring(ne + 2).trim());
            } else if (eq >= 0) {
                int after = p.startsWith("==", eq) ? eq + 2 : eq + 1;
                t = new Term(p.substring(0, eq).trim(), true, p.substring(after).trim());
            } else {
                throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + p + "'");
            }
            if (!supported(type, t.field())) {
                throw ApiException.badRequest("field label not supported: " + t.field());
            }
            terms.add(t);
        }
        return new FieldSelector(List.copyOf(terms));
    }

    private static boolean supported(ResourceType type, String field) {
        if (field.equals("metadata.name") || field.equals("metadata.namespace")) {
            return true;
        }
        if (type.type() == Pod.class) {
            return field.equals("spec.nodeName")
                    || field.equals("status.phase")
                    || field.equals("spec.schedulerName")
                    || field.equals("spec.restartPolicy")
                    || field.equals("spec.serviceAccountName")
                    || field.equals("status.podIP")
                    || field.equals("status.nominatedNodeName");
        }
        if (type.type() == Event.class) {
            return field.startsWith("involvedObject.")
                    || field.equals("reason")
                    || field.equals("source")
                    || field.equals("type")
                    || field.equals("reportingComponent");
        }
        if (type.type() == io.fabric8.kubernetes.api.model.events.v1.Event.class) {
            return field.startsWith("regarding.") || field.equals("reason") || field.equals("type");
        }
        if (type.type() == io.fabric8.kubernetes.api.model.Node.class) {
            return field.equals("spec.unschedulable");
        }
        if (type.type() == io.fabric8.kubernetes.api.model.Namespace.class) {
            return field.equals("status.phase");
        }
        if (type.type() == io.fabric8.kubernetes.api.model.Secret.class) {
            return field.equals("type");
        }
        if (type.type() == io.fabric8.kubernetes.api.model.batch.v1.Job.class) {
            return field.equals("status.successful");
        }
        return false;
    }

    /** Returns whether the selector matches everything. */
    public boolean isEverything() {
        return terms.isEmpty();
    }

    /** Returns whether {@code object} satisfies every term. */
    public boolean matches(HasMetadata object) {
        for (Term t : terms) {
            String actual = value(object, t.field());
            boolean eq = t.value().equals(actual == null ? "" : actual);
            if (eq != t.equals()) {
                return false;
            }
        }
        return true;
    }

    /** Returns the value of a selectable field, or null. */
    static @Nullable String value(HasMetadata o, String field) {
        switch (field) {
            case "metadata.name":
                return o.getMetadata().getName();
            case "metadata.namespace":
                return o.getMetadata().getNamespace();
            default:
                break;
        }
        if (o instanceof Pod p) {
            return switch (field) {
                case "spec.nodeName" -> p.getSpec() == null ? null : p.getSpec().getNodeName();
                case "spec.schedulerName" ->
                    p.getSpec() == null ? null : p.getSpec().getSchedulerName();
                case "spec.restartPolicy" ->
                    p.getSpec() == null ? null : p.getSpec().getRestartPolicy();
                case "spec.serviceAccountName" ->
                    p.getSpec() == null ? null : p.getSpec().getServiceAccountName();
                case "status.phase" ->
                    p.getStatus() == null ? null : p.getStatus().getPhase();
                case "status.podIP" ->
                    p.getStatus() == null ? null : p.getStatus().getPodIP();
                case "status.nominatedNodeName" ->
                    p.getStatus() == null ? null : p.getStatus().getNominatedNodeName();
                default -> null;
            };
        }
        if (o instanceof Event e) {
            var io = e.getInvolvedObject();
            return switch (field) {
                case "involvedObject.kind" -> io == null ? null : io.getKind();
                case "involvedObject.name" -> io == null ? null : io.getName();
                case "involvedObject.namespace" -> io == null ? null : io.getNamespace();
                case "involvedObject.uid" -> io == null ? null : io.getUid();
                case "involvedObject.apiVersion" -> io == null ? null : io.getApiVersion();
                case "involvedObject.resourceVersion" -> io == null ? null : io.getResourceVersion();
                case "involvedObject.fieldPath" -> io == null ? null : io.getFieldPath();
                case "reason" -> e.getReason();
                case "type" -> e.getType();
                case "source" -> e.getSource() == null ? null : e.getSource().getComponent();
                case "reportingComponent" -> e.getReportingComponent();
                default -> null;
            };
        }
        if (o instanceof io.fabric8.kubernetes.api.model.events.v1.Event e) {
            var r = e.getRegarding();
            return switch (field) {
                case "regarding.kind" -> r == null ? null : r.getKind();
                case "regarding.name" -> r == null ? null : r.getName();
                case "regarding.namespace" -> r == null ? null : r.getNamespace();
                case "regarding.uid" -> r == null ? null : r.getUid();
                case "reason" -> e.getReason();
                case "type" -> e.getType();
                default -> null;
            };
        }
        if (o instanceof io.fabric8.kubernetes.api.model.Node n) {
            if (field.equals("spec.unschedulable")) {
                return String.valueOf(
                        n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()));
            }
        }
        if (o instanceof io.fabric8.kubernetes.api.model.Namespace ns && field.equals("status.phase")) {
            return ns.getStatus() == null ? null : ns.getStatus().getPhase();
        }
        if (o instanceof io.fabric8.kubernetes.api.model.Secret s && field.equals("type")) {
            return s.getType();
        }
        if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j && field.equals("status.successful")) {
            return String.valueOf(
                    j.getStatus() == null || j.getStatus().getSucceeded() == null
                            ? 0
                            : j.getStatus().getSucceeded());
        }
        return null;
    }
}
