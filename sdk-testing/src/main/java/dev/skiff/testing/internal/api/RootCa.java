package dev.skiff.testing.internal.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cluster's root certificate authority as the root-CA publisher hands it to every namespace:
 * ConfigMap {@code kube-root-ca.crt} with the PEM under {@code ca.crt}. The in-memory cluster serves
 * plain HTTP, so the certificate (self-signed, {@code CN=skiff-in-memory-ca}, no key kept) signs
 * nothing; it is there so that pods and tools find what a real cluster gives them.
 */
public final class RootCa {
    /** The ConfigMap's name in every namespace. */
    public static final String CONFIG_MAP = "kube-root-ca.crt";
    /** The key of the certificate. */
    public static final String KEY = "ca.crt";
    /** The annotation the publisher sets, with the text it sets. */
    public static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";

    public static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver"
            + " when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other"
            + " usage is guaranteed across distributions of Kubernetes clusters.";

    /** The certificate, PEM-encoded. */
    public static final String PEM = """
            -----BEGIN CERTIFICATE-----
            MIIDHTCCAgWgAwIBAgIUCY9fHTGLl73hzKaqNg0L22AIRt0wDQYJKoZIhvcNAQEL
            BQAwHTEbMBkGA1UEAwwSc2tpZmYtaW4tbWVtb3J5LWNhMCAXDTI2MTEyOTExMzcz
            MloYDzIxMjYxMTA1MTEzNzMyWjAdMRswGQYDVQQDDBJza2lmZi1pbi1tZW1vcnkt
            Y2EwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCjO2R6pPTcxqfbm2k6
            vG6Wl5xAIbRTzx7ehoTpymqEAmP44kPT67I677Wc+6rFz2kOQDZ0SGAchqiD2B1L
            ZQ9o9c0xjdPuwMcdmerxiXUsxUn/IG7ozVchKT27yrGi7fcs7vyUEK5awZLnTnfz
            JpoPm5hrhg8u72J+Gk6Fm0xftyuD85SGSUctauGGwZuv7dUAdWM5TE1WZZpLzQy5
            X52KlDmb52Wvufk3jtD7uMzIw4qM1ehBrKg8FAQwbEKg0tj8p/wg85KaBXp9oDvG
            minxNcGNyc3g33eyuq+0rl1hvU13d0V8b3SXdpkZo81MR6ieclioKrMZ90G5lJvA
            Vy5JAgMBAAGjUzBRMB0GA1UdDgQWBBR7S8WmOsPiopAM2TRGXUOt79i65zAfBgNV
            HSMEGDAWgBR7S8WmOsPiopAM2TRGXUOt79i65zAPBgNVHRMBAf8EBTADAQH/MA0G
            CSqGSIb3DQEBCwUAA4IBAQBy1k7k0cUOOcLTUBzu17TL2vpZhabnvnbSiL+bCTGG
            /MHAts4TATfGSlNVTMP/tKCQ38NEIbIoVUUr5uxZlhaX5qngejDrpPYC5d2U0Fzd
            FhthlGsBGBzaElOVlImdbxdgHu/tCuVdFgTzVFRxTQhOI+PDinWC8UKeS7IFM0+8
            V5CgqsNinqlhscIvGqln7SJJyjyazTVnur9610ewyTRfk62GrrohYK2xFKOpmxJd
            B/8wgDknW12AOj8o4PiM6bCkokk9MIJ305wTgptwTs+XfJRNk32fwFZaPtxVwDxn
            qcUs5w/y8SE9v47CvE5MVYyYHftv7Ownlc/jHOcGloHW
            -----END CERTIFICATE-----
            """;

    private RootCa() {}

    /**
     * Whether {@code cm} holds what the publisher keeps there: exactly the certificate as data, and
     * a description (any).
     */
    public static boolean isCurrent(ConfigMap cm) {
        Map<String, String> annotations = cm.getMetadata().getAnnotations();
        String description = annotations == null ? null : annotations.get(DESCRIPTION_ANNOTATION);
        return Map.of(KEY, PEM).equals(cm.getData()) && description != null && !description.isEmpty();
    }

    /** A new ConfigMap for {@code namespace}. */
    public static ConfigMap configMap(String namespace) {
        ConfigMap cm = new ConfigMap();
        cm.setApiVersion("v1");
        cm.setKind("ConfigMap");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(CONFIG_MAP);
        meta.setNamespace(namespace);
        cm.setMetadata(meta);
        fill(cm);
        return cm;
    }

    /** Sets the data and, when it has none, the description; other annotations and binary data stay. */
    public static void fill(ConfigMap cm) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(KEY, PEM);
        cm.setData(data);
        Map<String, String> annotations = cm.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(cm.getMetadata().getAnnotations());
        String description = annotations.get(DESCRIPTION_ANNOTATION);
        if (description == null || description.isEmpty()) {
            annotations.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
        }
        cm.getMetadata().setAnnotations(annotations);
    }
}
