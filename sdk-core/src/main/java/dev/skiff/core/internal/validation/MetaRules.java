package dev.skiff.core.internal.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Object metadata, labels, annotations and label selectors. */
public final class MetaRules {
    private MetaRules() {}

    /** The largest total size of an object's annotations, keys plus values. */
    static final int TOTAL_ANNOTATION_SIZE = 256 * 1024;

    /** How a kind validates its names. */
    public enum NameRule {
        /** A DNS-1123 subdomain (most kinds). */
        SUBDOMAIN,
        /**
         * A DNS-1123 label (Namespace, StatefulSet, Service: in 1.36 {@code
         * RelaxedServiceNameValidation}, on by default, lets a Service name start with a digit).
         */
        LABEL;

        List<String> check(String name, boolean prefix) {
            String n = prefix ? Names.maskTrailingDash(name) : name;
            return switch (this) {
                case SUBDOMAIN -> Names.dns1123Subdomain(n);
                case LABEL -> Names.dns1123Label(n);
            };
        }
    }

    /**
     * Returns the name the server will use: the name, or the generated one ({@code generateName} cut
     * to 58 characters plus 5 random ones) when only {@code generateName} is set.
     */
    public static String effectiveName(@Nullable ObjectMeta meta) {
        if (meta == null) {
            return "";
        }
        String name = str(meta.getName());
        String gen = str(meta.getGenerateName());
        if (name.isEmpty() && !gen.isEmpty()) {
            return (gen.length() > 58 ? gen.substring(0, 58) : gen) + "xxxxx";
        }
        return name;
    }

    /** Validates {@code metadata} of a top-level object on create. */
    public static void objectMeta(@Nullable ObjectMeta meta, boolean namespaced, NameRule rule, Errors errs) {
        Path path = Path.root("metadata");
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        String gen = str(m.getGenerateName());
        String name = str(m.getName());
        if (!gen.isEmpty()) {
            errs.invalidEach(path.child("generateName"), gen, rule.check(gen, true));
        }
        if (name.isEmpty() && gen.isEmpty()) {
            errs.required(path.child("name"), "name or generateName is required");
        } else {
            // The server generates the name before it validates, and validates the result too.
            String effective = effectiveName(m);
            errs.invalidEach(path.child("name"), effective, rule.check(effective, false));
        }
        String ns = str(m.getNamespace());
        // An empty namespace is filled in from the request before validation; the namespace of a
        // cluster-scoped object is cleared, not rejected.
        if (namespaced && !ns.isEmpty()) {
            errs.invalidEach(path.child("namespace"), ns, Names.dns1123Label(ns));
        }
        labels(m.getLabels(), path.child("labels"), errs);
        annotations(m.getAnnotations(), path.child("annotations"), errs);
        List<String> finalizers = m.getFinalizers();
        if (finalizers != null) {
            for (int i = 0; i < finalizers.size(); i++) {
                finalizer(str(finalizers.get(i)), path.child("finalizers").index(i), errs);
            }
        }
    }

    static void finalizer(String f, Path path, Errors errs) {
        errs.invalidEach(path, f, Names.qualifiedName(f));
        if (f.indexOf('/') < 0 && !f.equals("kubernetes")) {
            errs.invalid(path, f, "name is neither a standard finalizer name nor is it fully qualified");
        }
    }

    /** Label keys and values; the server reports both at the map's path, without the key. */
    public static void labels(@Nullable Map<String, String> labels, Path path, Errors errs) {
        if (labels == null || labels.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String k = str(e.getKey());
            String v = str(e.getValue());
            errs.invalidEach(path, k, Names.qualifiedName(k));
            errs.invalidEach(path, v, Names.labelValue(v));
        }
    }

    /** Annotation keys (case-insensitive qualified names) and their total size. */
    public static void annotations(@Nullable Map<String, String> annotations, Path path, Errors errs) {
        if (annotations == null || annotations.isEmpty()) {
            return;
        }
        long size = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String k = str(e.getKey());
            errs.invalidEach(path, k, Names.qualifiedName(k.toLowerCase(Locale.ROOT)));
            size += utf8Length(k) + utf8Length(str(e.getValue()));
        }
        if (size > TOTAL_ANNOTATION_SIZE) {
            errs.tooLong(path, TOTAL_ANNOTATION_SIZE);
        }
    }

    static int utf8Length(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return s.length();
    }

    /** {@code metav1.LabelSelector} validation. */
    public static void labelSelector(@Nullable LabelSelector selector, Path path, Errors errs) {
        if (selector == null) {
            return;
        }
        labels(selector.getMatchLabels(), path.child("matchLabels"), errs);
        List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
        if (exprs == null) {
            return;
        }
        for (int i = 0; i < exprs.size(); i++) {
            LabelSelectorRequirement r = exprs.get(i);
            Path p = path.child("matchExpressions").index(i);
            String op = str(r.getOperator());
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.forbidden(
                                p.child("values"),
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }
                }
                default -> errs.invalid(p.child("operator"), op, "not a valid selector operator");
            }
            String key = str(r.getKey());
            errs.invalidEach(p.child("key"), key, Names.qualifiedName(key));
            for (int j = 0; j < values.size(); j++) {
                String v = str(values.get(j));
                errs.invalidEach(p.child("values").index(j), v, Names.labelValue(v));
            }
        }
    }

    /**
     * Whether a selector can be turned into a label query (Go's {@code LabelSelectorAsSelector} does
     * not fail).
     */
    static boolean selectorUsable(@Nullable LabelSelector selector) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Names.qualifiedName(str(e.getKey())).isEmpty() || !Names.isLabelValue(str(e.getValue()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String op = str(r.getOperator());
                int n = r.getValues() == null ? 0 : r.getValues().size();
                boolean ok = switch (op) {
                    case "In", "NotIn" -> n > 0;
                    case "Exists", "DoesNotExist" -> n == 0;
                    default -> false;
                };
                if (!ok || !Names.qualifiedName(str(r.getKey())).isEmpty()) {
                    return false;
                }
                if (r.getValues() != null) {
                    for (String v : r.getValues()) {
                        if (!Names.isLabelValue(str(v))) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /** Whether a usable selector selects {@code labels}; a {@code null} selector selects nothing. */
    static boolean matches(@Nullable LabelSelector selector, @Nullable Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!str(e.getValue()).equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String v = l.get(str(r.getKey()));
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (str(r.getOperator())) {
                    case "In" -> v != null && values.contains(v);
                    case "NotIn" -> v == null || !values.contains(v);
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean isEmpty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null
                        || selector.getMatchExpressions().isEmpty());
    }

    static String str(@Nullable String s) {
        return s == null ? "" : s;
    }
}
