package dev.skiff.conformance;

import static dev.skiff.conformance.ScenarioKit.WAIT;
import static dev.skiff.conformance.ScenarioKit.names;
import static dev.skiff.conformance.ScenarioKit.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API server semantics on both targets: garbage collection, namespace deletion, patches, server-side
 * apply, optimistic concurrency, subresources, finalizers, collections, resourceVersions, watches,
 * and the Status answered for each kind of refusal.
 */
class ApiSemanticsScenarios {
    static Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("k", "v")
                .build();
    }

    private static ConfigMap createConfigMap(Target t, ConfigMap cm) {
        return t.client().configMaps().inNamespace(t.namespace()).resource(cm).create();
    }

    private static ConfigMap getConfigMap(Target t, String name) {
        return t.client().configMaps().inNamespace(t.namespace()).withName(name).get();
    }

    private static Secret getSecret(Target t, String name) {
        return t.client().secrets().inNamespace(t.namespace()).withName(name).get();
    }

    private static OwnerReference ownerRef(HasMetadata owner, boolean block) {
        return new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(block ? true : null)
                .build();
    }

    private static Secret dependent(Target t, String name, List<String> finalizers, OwnerReference... owners) {
        return t.client()
                .secrets()
                .inNamespace(t.namespace())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withFinalizers(finalizers)
                        .withOwnerReferences(owners)
                        .endMetadata()
                        .build())
                .create();
    }

    private static void dropFinalizers(Target t, String secret) {
        ScenarioKit.retryOnConflict(() -> t.client()
                .secrets()
                .inNamespace(t.namespace())
                .withName(secret)
                .edit(s -> {
                    s.getMetadata().setFinalizers(null);
                    return s;
                }));
    }

    private static String path(Target t, String resource) {
        return "api/v1/namespaces/" + t.namespace() + "/" + resource;
    }

    // ---- garbage collection ----------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] api/gc: orphan deletion keeps dependents, owner references removed")
    @MethodSource("kinds")
    void orphan(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap owner = createConfigMap(t, configMap("owner"));
            dependent(t, "dep", List.of(), ownerRef(owner, false));
            // the garbage collector must have seen the dependent, or it cannot orphan it (it would
            // delete it later as the dependent of an owner that is gone)
            ScenarioKit.pass(t, Duration.ofSeconds(2));
            t.client()
                    .configMaps()
                    .inNamespace(t.namespace())
                    .withName("owner")
                    .withPropagationPolicy(DeletionPropagation.ORPHAN)
                    .delete();
            t.await("owner gone", WAIT, () -> getConfigMap(t, "owner") == null);
            t.await(
                    "owner reference removed",
                    WAIT,
                    () -> getSecret(t, "dep").getMetadata().getOwnerReferences() == null
                            || getSecret(t, "dep")
                                    .getMetadata()
                                    .getOwnerReferences()
                                    .isEmpty());
            ScenarioKit.pass(t, Duration.ofSeconds(2));
            assertThat(getSecret(t, "dep")).isNotNull();
        }
    }

    @ParameterizedTest(name = "[{0}] api/gc: foreground deletion waits for a blocking dependent")
    @MethodSource("kinds")
    void foreground(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap owner = createConfigMap(t, configMap("owner"));
            dependent(t, "dep", List.of("example.com/hold"), ownerRef(owner, true));
            ScenarioKit.pass(t, Duration.ofSeconds(2)); // the garbage collector has seen the dependent
            t.client()
                    .configMaps()
                    .inNamespace(t.namespace())
                    .withName("owner")
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                    .delete();
            ConfigMap deleting = getConfigMap(t, "owner");
            assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(deleting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
            t.await(
                    "dependent being deleted",
                    WAIT,
                    () -> getSecret(t, "dep").getMetadata().getDeletionTimestamp() != null);
            ScenarioKit.pass(t, Duration.ofSeconds(2));
            assertThat(getConfigMap(t, "owner")).isNotNull();
            dropFinalizers(t, "dep");
            t.await("dependent gone", WAIT, () -> getSecret(t, "dep") == null);
            t.await("owner gone", WAIT, () -> getConfigMap(t, "owner") == null);
        }
    }

    @ParameterizedTest(name = "[{0}] api/gc: background deletion removes the owner first, then dependents")
    @MethodSource("kinds")
    void background(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap owner = createConfigMap(t, configMap("owner"));
            dependent(t, "dep", List.of(), ownerRef(owner, true));
            t.client()
                    .configMaps()
                    .inNamespace(t.namespace())
                    .withName("owner")
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                    .delete();
            assertThat(getConfigMap(t, "owner")).isNull();
            t.await("dependent gone", WAIT, () -> getSecret(t, "dep") == null);
        }
    }

    @ParameterizedTest(name = "[{0}] api/gc: a dependent with a second owner survives, that reference kept")
    @MethodSource("kinds")
    void twoOwners(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap first = createConfigMap(t, configMap("first"));
            ConfigMap second = createConfigMap(t, configMap("second"));
            dependent(t, "dep", List.of(), ownerRef(first, false), ownerRef(second, false));
            t.client().configMaps().inNamespace(t.namespace()).withName("first").delete();
            t.await(
                    "dangling reference removed",
                    WAIT,
                    () -> getSecret(t, "dep").getMetadata().getOwnerReferences().size() == 1);
            assertThat(getSecret(t, "dep").getMetadata().getOwnerReferences())
                    .extracting(OwnerReference::getName)
                    .containsExactly("second");
        }
    }

    @ParameterizedTest(name = "[{0}] api/gc: a dependent whose only owner never existed is deleted")
    @MethodSource("kinds")
    void danglingOwner(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap ghost = configMap("ghost");
            ghost.getMetadata().setUid("3f2c1f6e-0000-4000-8000-000000000001");
            dependent(t, "dep", List.of(), ownerRef(ghost, false));
            t.await("dependent gone", WAIT, () -> getSecret(t, "dep") == null);
        }
    }

    // ---- namespaces ------------------------------------------------------------------------------

    @ParameterizedTest(
            name = "[{0}] api/namespace deletion: Terminating, conditions, 403 for new content, gone once emptied")
    @MethodSource("kinds")
    void namespaceDeletion(Target.Kind kind) {
        try (Target t = kind.open()) {
            String ns = "x-" + t.namespace();
            t.client()
                    .namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .create();
            ConfigMap held = configMap("held");
            held.getMetadata().setFinalizers(List.of("example.com/hold"));
            t.client().configMaps().inNamespace(ns).resource(held).create();
            t.client().configMaps().inNamespace(ns).resource(configMap("plain")).create();
            t.client().namespaces().withName(ns).delete();
            try {
                assertThat(t.client()
                                .namespaces()
                                .withName(ns)
                                .get()
                                .getStatus()
                                .getPhase())
                        .isEqualTo("Terminating");
                t.await(
                        "plain deleted",
                        WAIT,
                        () -> t.client()
                                        .configMaps()
                                        .inNamespace(ns)
                                        .withName("plain")
                                        .get()
                                == null);
                t.await(
                        "NamespaceFinalizersRemaining",
                        WAIT,
                        () -> nsCondition(t, ns, "NamespaceFinalizersRemaining") != null
                                && "True"
                                        .equals(nsCondition(t, ns, "NamespaceFinalizersRemaining")
                                                .getStatus()));
                var content = nsCondition(t, ns, "NamespaceContentRemaining");
                assertThat(content.getStatus()).isEqualTo("True");
                assertThat(content.getReason()).isEqualTo("SomeResourcesRemain");
                assertThat(content.getMessage())
                        .isEqualTo("Some resources are remaining: configmaps. has 1 resource instances");
                var finalizers = nsCondition(t, ns, "NamespaceFinalizersRemaining");
                assertThat(finalizers.getReason()).isEqualTo("SomeFinalizersRemain");
                assertThat(finalizers.getMessage())
                        .isEqualTo(
                                "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource"
                                        + " instances");
                assertThat(t.client()
                                .configMaps()
                                .inNamespace(ns)
                                .withName("held")
                                .get()
                                .getMetadata()
                                .getDeletionTimestamp())
                        .isNotNull();
                var e = catchThrowableOfType(
                        KubernetesClientException.class,
                        () -> t.client()
                                .configMaps()
                                .inNamespace(ns)
                                .resource(configMap("late"))
                                .create());
                assertThat(e.getCode()).isEqualTo(403);
                assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                assertThat(e.getStatus().getMessage())
                        .isEqualTo("configmaps \"late\" is forbidden: unable to create new content in namespace " + ns
                                + " because it is being terminated");
            } finally {
                ScenarioKit.retryOnConflict(() -> t.client()
                        .configMaps()
                        .inNamespace(ns)
                        .withName("held")
                        .edit(c -> {
                            c.getMetadata().setFinalizers(null);
                            return c;
                        }));
            }
            t.await(
                    "namespace gone",
                    WAIT,
                    () -> t.client().namespaces().withName(ns).get() == null);
        }
    }

    private static io.fabric8.kubernetes.api.model.NamespaceCondition nsCondition(Target t, String ns, String type) {
        var n = t.client().namespaces().withName(ns).get();
        if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) {
            return null;
        }
        return n.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElse(null);
    }

    // ---- patches ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] api/JSON patch: a failing test op is 422 and changes nothing")
    @MethodSource("kinds")
    void jsonPatchTestFails(Target.Kind kind) {
        try (Target t = kind.open()) {
            createConfigMap(t, configMap("p"));
            var a = send(
                    t,
                    "PATCH",
                    path(t, "configmaps/p"),
                    "application/json-patch+json",
                    "[{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"changed\"},"
                            + "{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"v\"}]");
            assertThat(a.code()).isEqualTo(422);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("Invalid");
            assertThat(s.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
            assertThat(getConfigMap(t, "p").getData()).containsExactly(Map.entry("k", "v"));
        }
    }

    @ParameterizedTest(name = "[{0}] api/JSON patch: add, replace, remove and move in order")
    @MethodSource("kinds")
    void jsonPatchOps(Target.Kind kind) {
        try (Target t = kind.open()) {
            createConfigMap(t, configMap("p"));
            var a = send(
                    t,
                    "PATCH",
                    path(t, "configmaps/p"),
                    "application/json-patch+json",
                    "[{\"op\":\"add\",\"path\":\"/data/a\",\"value\":\"1\"},"
                            + "{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"w\"},"
                            + "{\"op\":\"move\",\"from\":\"/data/a\",\"path\":\"/data/b\"},"
                            + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"x\":\"y\"}},"
                            + "{\"op\":\"remove\",\"path\":\"/data/k\"}]");
            assertThat(a.code()).isEqualTo(200);
            ConfigMap now = getConfigMap(t, "p");
            assertThat(now.getData()).containsExactly(Map.entry("b", "1"));
            assertThat(now.getMetadata().getLabels()).containsExactly(Map.entry("x", "y"));
        }
    }

    private static PodTemplate podTemplate(String name, String... containers) {
        var b = new PodTemplateBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewTemplate()
                .withNewSpec();
        for (String c : containers) {
            b.addNewContainer().withName(c).withImage("busybox:1.36").endContainer();
        }
        return b.endSpec().endTemplate().build();
    }

    private static PodTemplate createTemplate(Target t, PodTemplate p) {
        return t.client().resource(p).inNamespace(t.namespace()).create();
    }

    private static PodTemplate getTemplate(Target t, String name) {
        return t.client()
                .resources(PodTemplate.class)
                .inNamespace(t.namespace())
                .withName(name)
                .get();
    }

    @ParameterizedTest(name = "[{0}] api/strategic merge patch merges containers by name, $patch delete removes one")
    @MethodSource("kinds")
    void strategicMerge(Target.Kind kind) {
        try (Target t = kind.open()) {
            createTemplate(t, podTemplate("tpl", "a", "b"));
            var a = send(
                    t,
                    "PATCH",
                    path(t, "podtemplates/tpl"),
                    "application/strategic-merge-patch+json",
                    "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"busybox:1.37\"},"
                            + "{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}}}");
            assertThat(a.code()).isEqualTo(200);
            var containers = getTemplate(t, "tpl").getTemplate().getSpec().getContainers();
            assertThat(containers)
                    .extracting(c -> c.getName() + "=" + c.getImage())
                    .containsExactly("a=busybox:1.36", "b=busybox:1.37", "c=busybox:1.36");
            a = send(
                    t,
                    "PATCH",
                    path(t, "podtemplates/tpl"),
                    "application/strategic-merge-patch+json",
                    "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"delete\"}]}}}");
            assertThat(a.code()).isEqualTo(200);
            assertThat(getTemplate(t, "tpl").getTemplate().getSpec().getContainers())
                    .extracting(c -> c.getName())
                    .containsExactly("b", "c");
        }
    }

    @ParameterizedTest(name = "[{0}] api/merge patch replaces the containers list whole")
    @MethodSource("kinds")
    void mergePatchReplacesLists(Target.Kind kind) {
        try (Target t = kind.open()) {
            createTemplate(t, podTemplate("tpl", "a", "b"));
            var a = send(
                    t,
                    "PATCH",
                    path(t, "podtemplates/tpl"),
                    "application/merge-patch+json",
                    "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"busybox:1.37\"}]}}}");
            assertThat(a.code()).isEqualTo(200);
            assertThat(getTemplate(t, "tpl").getTemplate().getSpec().getContainers())
                    .extracting(c -> c.getName() + "=" + c.getImage())
                    .containsExactly("b=busybox:1.37");
        }
    }

    // ---- server-side apply -----------------------------------------------------------------------

    private static ManagedFieldsEntry entry(ConfigMap cm, String manager) {
        return cm.getMetadata().getManagedFields().stream()
                .filter(m -> m.getManager().equals(manager))
                .findFirst()
                .orElse(null);
    }

    @ParameterizedTest(
            name = "[{0}] api/server-side apply creates, records the manager, drops fields it stops applying")
    @MethodSource("kinds")
    void applyCreatesAndPrunes(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ConfigMap cm = configMap("ssa");
            cm.getData().put("extra", "1");
            ops.resource(cm).fieldManager("alice").serverSideApply();
            ConfigMap created = getConfigMap(t, "ssa");
            assertThat(created.getData()).containsOnlyKeys("k", "extra");
            ManagedFieldsEntry alice = entry(created, "alice");
            assertThat(alice.getOperation()).isEqualTo("Apply");
            assertThat(alice.getFieldsType()).isEqualTo("FieldsV1");
            assertThat(alice.getFieldsV1().getAdditionalProperties()).containsKey("f:data");
            ops.resource(configMap("ssa")).fieldManager("alice").serverSideApply();
            assertThat(getConfigMap(t, "ssa").getData()).containsOnlyKeys("k");
        }
    }

    @ParameterizedTest(name = "[{0}] api/server-side apply: conflict text, then force moves ownership")
    @MethodSource("kinds")
    void applyForce(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().configMaps().inNamespace(t.namespace());
            ops.resource(configMap("ssa")).fieldManager("alice").serverSideApply();
            ConfigMap other = configMap("ssa");
            other.getData().put("k", "w");
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> ops.resource(other).fieldManager("bob").serverSideApply());
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getMessage())
                    .isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .data.k");
            assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("FieldManagerConflict");
                assertThat(c.getField()).isEqualTo(".data.k");
                assertThat(c.getMessage()).isEqualTo("conflict with \"alice\"");
            });
            ops.resource(other).fieldManager("bob").forceConflicts().serverSideApply();
            ConfigMap now = getConfigMap(t, "ssa");
            assertThat(now.getData()).containsEntry("k", "w");
            assertThat(entry(now, "alice")).isNull();
            assertThat(entry(now, "bob").getOperation()).isEqualTo("Apply");
        }
    }

    @ParameterizedTest(name = "[{0}] api/server-side apply without fieldManager: 422")
    @MethodSource("kinds")
    void applyWithoutManager(Target.Kind kind) {
        try (Target t = kind.open()) {
            var a = send(
                    t,
                    "PATCH",
                    path(t, "configmaps/nomgr"),
                    "application/apply-patch+yaml",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"nomgr\"}}");
            assertThat(a.code()).isEqualTo(422);
            Status s = a.status(t);
            assertThat(s.getMessage())
                    .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for"
                            + " apply patch");
            assertThat(s.getDetails().getKind()).isEqualTo("PatchOptions");
            assertThat(s.getDetails().getGroup()).isEqualTo("meta.k8s.io");
            assertThat(s.getDetails().getCauses()).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("FieldValueRequired");
                assertThat(c.getField()).isEqualTo("fieldManager");
            });
        }
    }

    @ParameterizedTest(name = "[{0}] api/update with a stale resourceVersion: 409 text and details")
    @MethodSource("kinds")
    void staleUpdate(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap created = createConfigMap(t, configMap("cas"));
            t.client().configMaps().inNamespace(t.namespace()).withName("cas").edit(c -> {
                c.getData().put("k", "first");
                return c;
            });
            created.getData().put("k", "second");
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> t.client()
                            .configMaps()
                            .inNamespace(t.namespace())
                            .resource(created)
                            .update());
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getMessage())
                    .isEqualTo(
                            "Operation cannot be fulfilled on configmaps \"cas\": the object has been modified; please"
                                    + " apply your changes to the latest version and try again");
            assertThat(e.getStatus().getDetails().getName()).isEqualTo("cas");
            assertThat(e.getStatus().getDetails().getKind()).isEqualTo("configmaps");
            assertThat(getConfigMap(t, "cas").getData()).containsEntry("k", "first");
        }
    }

    // ---- subresources and finalizers --------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] api/status subresource ignores spec; the main resource ignores status")
    @MethodSource("kinds")
    void statusSubresource(Target.Kind kind) {
        try (Target t = kind.open()) {
            var ops = t.client().services().inNamespace(t.namespace());
            ops.resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("lb")
                            .endMetadata()
                            .withNewSpec()
                            .withType("ClusterIP")
                            .addNewPort()
                            .withPort(80)
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
            Service fetched = ops.withName("lb").get();
            fetched.getSpec().getPorts().get(0).setPort(81);
            if (fetched.getStatus() == null) {
                fetched.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatus());
            }
            fetched.getStatus()
                    .setConditions(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                            .withType("Example")
                            .withStatus("True")
                            .withReason("Set")
                            .withMessage("by the status subresource")
                            .withLastTransitionTime("2026-01-01T00:00:00Z")
                            .build()));
            ops.resource(fetched).updateStatus();
            Service afterStatus = ops.withName("lb").get();
            assertThat(afterStatus.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
            assertThat(afterStatus.getStatus().getConditions())
                    .extracting(c -> c.getType())
                    .containsExactly("Example");
            afterStatus.getSpec().getPorts().get(0).setPort(82);
            afterStatus.getStatus().setConditions(List.of());
            ops.resource(afterStatus).update();
            Service afterUpdate = ops.withName("lb").get();
            assertThat(afterUpdate.getSpec().getPorts().get(0).getPort()).isEqualTo(82);
            assertThat(afterUpdate.getStatus().getConditions())
                    .extracting(c -> c.getType())
                    .containsExactly("Example");
        }
    }

    @ParameterizedTest(name = "[{0}] api/a finalizer holds a deleted object; no new finalizer while deleting")
    @MethodSource("kinds")
    void finalizerBlocksDeletion(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap cm = configMap("held");
            cm.getMetadata().setFinalizers(List.of("example.com/hold"));
            createConfigMap(t, cm);
            t.client().configMaps().inNamespace(t.namespace()).withName("held").delete();
            ConfigMap deleting = getConfigMap(t, "held");
            assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(deleting.getMetadata().getDeletionGracePeriodSeconds()).isZero();
            var e = catchThrowableOfType(
                    KubernetesClientException.class,
                    () -> t.client()
                            .configMaps()
                            .inNamespace(t.namespace())
                            .withName("held")
                            .edit(c -> {
                                c.getMetadata().setFinalizers(List.of("example.com/hold", "example.com/more"));
                                return c;
                            }));
            assertThat(e.getCode()).isEqualTo(422);
            // the API server finds it twice (common fields, then the kind's update validation)
            assertThat(e.getStatus().getDetails().getCauses()).hasSize(2).allSatisfy(c -> {
                assertThat(c.getField()).isEqualTo("metadata.finalizers");
                assertThat(c.getReason()).isEqualTo("FieldValueForbidden");
                assertThat(c.getMessage())
                        .isEqualTo("Forbidden: no new finalizers can be added if the object is being deleted, found new"
                                + " finalizers []string{\"example.com/more\"}");
            });
            // other changes are still allowed
            t.client().configMaps().inNamespace(t.namespace()).withName("held").edit(c -> {
                c.getData().put("k", "changed");
                return c;
            });
            assertThat(getConfigMap(t, "held").getData()).containsEntry("k", "changed");
            t.client().configMaps().inNamespace(t.namespace()).withName("held").edit(c -> {
                c.getMetadata().setFinalizers(null);
                return c;
            });
            t.await("gone", WAIT, () -> getConfigMap(t, "held") == null);
        }
    }

    @ParameterizedTest(name = "[{0}] api/deleteCollection with a label selector deletes only the matches")
    @MethodSource("kinds")
    void deleteCollection(Target.Kind kind) {
        try (Target t = kind.open()) {
            for (String name : List.of("a", "b", "c")) {
                ConfigMap cm = configMap(name);
                cm.getMetadata().setLabels(Map.of("batch", name.equals("c") ? "keep" : "drop"));
                createConfigMap(t, cm);
            }
            var a = send(t, "DELETE", path(t, "configmaps") + "?labelSelector=batch%3Ddrop", null, null);
            assertThat(a.code()).isEqualTo(200);
            assertThat(a.body()).contains("\"kind\":\"ConfigMapList\"");
            assertThat(names(t.client()
                            .configMaps()
                            .inNamespace(t.namespace())
                            .withLabel("batch")
                            .list()
                            .getItems()))
                    .containsExactly("c");
        }
    }

    // ---- resourceVersions and watches -------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] api/list at resourceVersion 0 and NotOlderThan an older version")
    @MethodSource("kinds")
    void listResourceVersions(Target.Kind kind) {
        try (Target t = kind.open()) {
            ConfigMap first = createConfigMap(t, configMap("a"));
            createConfigMap(t, configMap("b"));
            var ops = t.client().configMaps().inNamespace(t.namespace());
            var any = ops.list(new ListOptionsBuilder().withResourceVersion("0").build());
            assertThat(names(any.getItems())).contains("a", "b");
            var notOlder = ops.list(new ListOptionsBuilder()
                    .withResourceVersion(first.getMetadata().getResourceVersion())
                    .withResourceVersionMatch("NotOlderThan")
                    .build());
            assertThat(names(notOlder.getItems())).contains("a", "b");
            assertThat(Long.parseLong(notOlder.getMetadata().getResourceVersion()))
                    .isGreaterThanOrEqualTo(Long.parseLong(first.getMetadata().getResourceVersion()));
        }
    }

    @ParameterizedTest(name = "[{0}] api/resourceVersionMatch without resourceVersion: 422")
    @MethodSource("kinds")
    void matchWithoutVersion(Target.Kind kind) {
        try (Target t = kind.open()) {
            var a = send(t, "GET", path(t, "configmaps") + "?resourceVersionMatch=Exact", null, null);
            assertThat(a.code()).isEqualTo(422);
            Status s = a.status(t);
            assertThat(s.getMessage())
                    .isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden:"
                            + " resourceVersionMatch is forbidden unless resourceVersion is provided");
            assertThat(s.getDetails().getCauses()).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("FieldValueForbidden");
                assertThat(c.getField()).isEqualTo("resourceVersionMatch");
            });
        }
    }

    @ParameterizedTest(name = "[{0}] api/list NotOlderThan a future resourceVersion: 504 Too large resource version")
    @MethodSource("kinds")
    void tooLargeVersion(Target.Kind kind) {
        try (Target t = kind.open()) {
            var a = send(
                    t,
                    "GET",
                    path(t, "configmaps") + "?resourceVersion=99999999&resourceVersionMatch=NotOlderThan",
                    null,
                    null);
            assertThat(a.code()).isEqualTo(504);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("Timeout");
            assertThat(s.getMessage()).startsWith("Timeout: Too large resource version: 99999999, current: ");
            assertThat(s.getDetails().getCauses()).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("ResourceVersionTooLarge");
                assertThat(c.getMessage()).isEqualTo("Too large resource version");
            });
            assertThat(s.getDetails().getRetryAfterSeconds()).isEqualTo(1);
        }
    }

    @ParameterizedTest(
            name = "[{0}] api/watch with sendInitialEvents: current objects, then the initial-events-end bookmark")
    @MethodSource("kinds")
    void initialEventsBookmark(Target.Kind kind) {
        try (Target t = kind.open()) {
            createConfigMap(t, configMap("a"));
            var a = send(
                    t,
                    "GET",
                    path(t, "configmaps")
                            + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                            + "&allowWatchBookmarks=true&labelSelector=x%21%3Dy&timeoutSeconds=2",
                    null,
                    null);
            assertThat(a.code()).isEqualTo(200);
            List<String> lines = a.body().lines().filter(l -> !l.isBlank()).toList();
            List<String> added = lines.stream()
                    .filter(l -> l.startsWith("{\"type\":\"ADDED\""))
                    .toList();
            assertThat(added).anyMatch(l -> l.contains("\"name\":\"a\""));
            int bookmark = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("{\"type\":\"BOOKMARK\"")
                        && lines.get(i).contains("\"k8s.io/initial-events-end\":\"true\"")) {
                    bookmark = i;
                    break;
                }
            }
            assertThat(bookmark).isEqualTo(added.size());
        }
    }

    @ParameterizedTest(name = "[{0}] api/watch with a label selector: leaving the selection is DELETED")
    @MethodSource("kinds")
    void watchLeavesSelection(Target.Kind kind) throws Exception {
        try (Target t = kind.open()) {
            ConfigMap cm = configMap("sel");
            cm.getMetadata().setLabels(Map.of("tier", "gpu"));
            ConfigMap created = createConfigMap(t, cm);
            CompletableFuture<String> seen = new CompletableFuture<>();
            var ops = t.client().configMaps().inNamespace(t.namespace());
            try (Watch w = ops.withLabel("tier", "gpu")
                    .withResourceVersion(created.getMetadata().getResourceVersion())
                    .watch(new Watcher<ConfigMap>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap resource) {
                            seen.complete(action + " " + resource.getMetadata().getName() + " "
                                    + resource.getMetadata().getLabels());
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            seen.completeExceptionally(cause);
                        }
                    })) {
                ops.withName("sel").edit(c -> {
                    c.getMetadata().setLabels(Map.of("tier", "cpu"));
                    return c;
                });
                // the DELETED event carries the object as it was last seen inside the selection
                assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo("DELETED sel {tier=gpu}");
            }
        }
    }

    // ---- 410 Gone after compaction ------------------------------------------------------------------

    /** Forgets the history up to {@code last}, the newest object the scenario wrote. */
    private static void compact(Target t, HasMetadata last) {
        if (t instanceof Target.InMemory m) {
            m.cluster().expireWatchHistory();
        } else {
            RealControlPlane.get().compactEtcd(Long.parseLong(last.getMetadata().getResourceVersion()));
        }
    }

    @ParameterizedTest(name = "[{0}] api/410 Expired: a continue token from before a compaction")
    @MethodSource("kinds")
    void continueExpired(Target.Kind kind) {
        try (Target t = kind.open()) {
            for (String n : List.of("t1", "t2", "t3")) {
                createTemplate(t, podTemplate(n, "main"));
            }
            var first = t.client()
                    .resources(PodTemplate.class)
                    .inNamespace(t.namespace())
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            String token = first.getMetadata().getContinue();
            assertThat(token).isNotEmpty();
            PodTemplate last = createTemplate(t, podTemplate("t4", "main"));
            compact(t, last);
            var a = send(
                    t,
                    "GET",
                    path(t, "podtemplates") + "?limit=1&continue="
                            + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8),
                    null,
                    null);
            assertThat(a.code()).isEqualTo(410);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("Expired");
            assertThat(s.getMessage())
                    .startsWith("The provided continue parameter is too old to display a consistent list result.");
            // the answer carries a token that continues without consistency
            assertThat(s.getMetadata().getContinue()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "[{0}] api/410 Expired: a watch from before a compaction (documented difference)")
    @MethodSource("kinds")
    void watchExpired(Target.Kind kind) {
        try (Target t = kind.open()) {
            PodTemplate first = createTemplate(t, podTemplate("w1", "main"));
            createTemplate(t, podTemplate("w2", "main"));
            // two changes after it: etcd refuses a watch starting before the compacted revision
            PodTemplate last = createTemplate(t, podTemplate("w3", "main"));
            compact(t, last);
            var a = send(
                    t,
                    "GET",
                    path(t, "podtemplates") + "?watch=true&timeoutSeconds=2&resourceVersion="
                            + first.getMetadata().getResourceVersion(),
                    null,
                    null);
            assertThat(a.code()).isEqualTo(200);
            String line = a.body().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow();
            assertThat(line).startsWith("{\"type\":\"ERROR\"");
            Status s = t.client()
                    .getKubernetesSerialization()
                    .unmarshal(line.substring(line.indexOf("\"object\":") + 9, line.length() - 1), Status.class);
            assertThat(s.getCode()).isEqualTo(410);
            assertThat(s.getReason()).isEqualTo("Expired");
            if (kind == Target.Kind.REAL) {
                // podtemplates bypass the watch cache here (see controlplane/up): etcd's words
                assertThat(s.getMessage()).isEqualTo("The resourceVersion for the provided watch is too old.");
            } else {
                // the in-memory cluster answers as the watch cache does for every resource
                assertThat(s.getMessage())
                        .matches("too old resource version: "
                                + first.getMetadata().getResourceVersion() + " \\(\\d+\\)");
            }
        }
    }

    @ParameterizedTest(name = "[{0}] api/410 Expired: a list at an exact compacted resourceVersion")
    @MethodSource("kinds")
    void exactListExpired(Target.Kind kind) {
        try (Target t = kind.open()) {
            PodTemplate first = createTemplate(t, podTemplate("e1", "main"));
            PodTemplate last = createTemplate(t, podTemplate("e2", "main"));
            compact(t, last);
            var a = send(
                    t,
                    "GET",
                    path(t, "podtemplates") + "?resourceVersionMatch=Exact&resourceVersion="
                            + first.getMetadata().getResourceVersion(),
                    null,
                    null);
            assertThat(a.code()).isEqualTo(410);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("Expired");
            assertThat(s.getMessage()).isEqualTo("The resourceVersion for the provided list is too old.");
        }
    }

    // ---- Status answers -------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] api/400 BadRequest: malformed JSON, and a name that differs from the URL")
    @MethodSource("kinds")
    void badRequest(Target.Kind kind) {
        try (Target t = kind.open()) {
            var a = send(t, "POST", path(t, "configmaps"), "application/json", "{\"apiVersion\":");
            assertThat(a.code()).isEqualTo(400);
            assertThat(a.status(t).getReason()).isEqualTo("BadRequest");
            createConfigMap(t, configMap("p"));
            a = send(
                    t,
                    "PUT",
                    path(t, "configmaps/p"),
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"q\"}}");
            assertThat(a.code()).isEqualTo(400);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("BadRequest");
            assertThat(s.getMessage()).isEqualTo("the name of the object (q) does not match the name on the URL (p)");
        }
    }

    @ParameterizedTest(name = "[{0}] api/404 NotFound: message and details name the group and resource")
    @MethodSource("kinds")
    void notFoundDetails(Target.Kind kind) {
        try (Target t = kind.open()) {
            var a = send(t, "GET", "apis/batch/v1/namespaces/" + t.namespace() + "/jobs/nope", null, null);
            assertThat(a.code()).isEqualTo(404);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("NotFound");
            assertThat(s.getMessage()).isEqualTo("jobs.batch \"nope\" not found");
            assertThat(s.getDetails().getName()).isEqualTo("nope");
            assertThat(s.getDetails().getGroup()).isEqualTo("batch");
            assertThat(s.getDetails().getKind()).isEqualTo("jobs");
        }
    }

    @ParameterizedTest(name = "[{0}] api/405 MethodNotAllowed: POST to a named object")
    @MethodSource("kinds")
    void methodNotAllowed(Target.Kind kind) {
        try (Target t = kind.open()) {
            createConfigMap(t, configMap("p"));
            var a = send(t, "POST", path(t, "configmaps/p"), "application/json", "{}");
            assertThat(a.code()).isEqualTo(405);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("MethodNotAllowed");
            assertThat(s.getMessage()).isEqualTo("the server does not allow this method on the requested resource");
        }
    }

    @ParameterizedTest(name = "[{0}] api/409 AlreadyExists: details name and resource")
    @MethodSource("kinds")
    void alreadyExistsDetails(Target.Kind kind) {
        try (Target t = kind.open()) {
            createConfigMap(t, configMap("p"));
            var a = send(t, "POST", path(t, "configmaps"), "application/json", "{\"metadata\":{\"name\":\"p\"}}");
            assertThat(a.code()).isEqualTo(409);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("AlreadyExists");
            assertThat(s.getDetails().getName()).isEqualTo("p");
            assertThat(s.getDetails().getKind()).isEqualTo("configmaps");
            assertThat(s.getDetails().getGroup()).isNull();
        }
    }

    @ParameterizedTest(name = "[{0}] api/415 UnsupportedMediaType: a patch as text/plain")
    @MethodSource("kinds")
    void unsupportedMediaType(Target.Kind kind) {
        try (Target t = kind.open()) {
            createConfigMap(t, configMap("p"));
            var a = send(t, "PATCH", path(t, "configmaps/p"), "text/plain", "x");
            assertThat(a.code()).isEqualTo(415);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("UnsupportedMediaType");
            assertThat(s.getMessage()).isEqualTo("415: Unsupported Media Type");
        }
    }

    @ParameterizedTest(name = "[{0}] api/422 Invalid: details carry kind, name and causes")
    @MethodSource("kinds")
    void invalidDetails(Target.Kind kind) {
        try (Target t = kind.open()) {
            var a = send(
                    t,
                    "POST",
                    path(t, "configmaps"),
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"p\"},\"data\":{\"a b\":\"1\"}}");
            assertThat(a.code()).isEqualTo(422);
            Status s = a.status(t);
            assertThat(s.getReason()).isEqualTo("Invalid");
            assertThat(s.getDetails().getKind()).isEqualTo("ConfigMap");
            assertThat(s.getDetails().getName()).isEqualTo("p");
            assertThat(s.getDetails().getCauses()).singleElement().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("FieldValueInvalid");
                assertThat(c.getField()).isEqualTo("data[a b]");
            });
            assertThat(s.getMessage()).startsWith("ConfigMap \"p\" is invalid: data[a b]: Invalid value: \"a b\": ");
        }
    }
}
