package dev.skiff.testing.internal.api;

import static dev.skiff.testing.internal.api.StrategicMergeTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Field sets, the server-side apply merge, pruning and ownership, case by case. */
class ManagedFieldsTest {
    static final Schema DEPLOYMENT = Schema.of(ResourceTypes.DEPLOYMENTS);
    static final Schema POD = Schema.of(ResourceTypes.PODS);

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(String s) {
        return Patches.JSON.readValue(s.replace('\'', '"'), Map.class);
    }

    /** A field set from its fieldsV1 form. */
    static FieldSet set(String fieldsV1) {
        return FieldSet.fromFieldsV1(map(fieldsV1));
    }

    // ------------------------------------------------------------------ applied field sets

    static Stream<Arguments> appliedSets() {
        return Stream.of(
                Arguments.of(
                        "leaves, atomic selector, containers by name",
                        DEPLOYMENT,
                        "{'metadata':{'labels':{'app':'a'}},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'a'}},"
                                + "'template':{'spec':{'containers':[{'name':'web','image':'nginx'}]}}}}",
                        "{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},'f:selector':{},"
                                + "'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':"
                                + "{'.':{},'f:image':{},'f:name':{}}}}}}}"),
                Arguments.of(
                        "finalizers are a set of values",
                        POD,
                        "{'metadata':{'finalizers':['a/b','c']}}",
                        "{'f:metadata':{'f:finalizers':{'v:\\'a/b\\'':{},'v:\\'c\\'':{}}}}"),
                Arguments.of(
                        "container ports are keyed by port and protocol, sorted by name",
                        POD,
                        "{'spec':{'containers':[{'name':'c','ports':[{'protocol':'TCP','containerPort':80}]}]}}",
                        "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'c\\'}':{'.':{},'f:name':{},'f:ports':"
                                + "{'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{},"
                                + "'f:protocol':{}}}}}}}"),
                Arguments.of(
                        "a port without a protocol is keyed with the default TCP",
                        POD,
                        "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80}]}]}}",
                        "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'c\\'}':{'.':{},'f:name':{},'f:ports':"
                                + "{'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{}}}}}}}"),
                Arguments.of(
                        "atomic lists and empty objects are single fields",
                        POD,
                        "{'spec':{'tolerations':[{'key':'a'}],'securityContext':{},'containers':[{'name':'c','args':['x']}]}}",
                        "{'f:spec':{'f:securityContext':{},'f:tolerations':{},'f:containers':{'k:{\\'name\\':\\'c\\'}':"
                                + "{'.':{},'f:args':{},'f:name':{}}}}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appliedSets")
    void appliedConfigurationsOwnTheirFields(String name, Schema schema, String config, String expected) {
        FieldSet s = ManagedFields.ofApplied(json(config), schema);
        assertThat(s.toFieldsV1()).isEqualTo(map(expected));
        assertThat(FieldSet.fromFieldsV1(s.toFieldsV1()).toFieldsV1())
                .as("fieldsV1 reads back")
                .isEqualTo(s.toFieldsV1());
    }

    // ------------------------------------------------------------------ updates

    static Stream<Arguments> comparisons() {
        return Stream.of(
                Arguments.of(
                        "a created object: new maps and items are members, implicit structs are not",
                        "{}",
                        "{'metadata':{'labels':{'app':'a'}},'spec':{'replicas':1,'template':{'spec':"
                                + "{'containers':[{'name':'web','image':'x'}]}}}}",
                        "{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:replicas':{},'f:template':"
                                + "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}",
                        "{}"),
                Arguments.of(
                        "a changed image",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'x'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'y'}]}}}}",
                        "{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'f:image':{}}}}}}}",
                        "{}"),
                Arguments.of(
                        "a removed label",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'a':'1'}}}",
                        "{}",
                        "{'f:metadata':{'f:labels':{'f:b':{}}}}"),
                Arguments.of(
                        "a removed container and everything in it",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b','image':'x'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'}]}}}}",
                        "{}",
                        "{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'b\\'}':"
                                + "{'.':{},'f:image':{},'f:name':{}}}}}}}"),
                Arguments.of(
                        "an unchanged object changes nothing",
                        "{'spec':{'replicas':3,'strategy':{'type':'Recreate'}}}",
                        "{'spec':{'replicas':3,'strategy':{'type':'Recreate'}}}",
                        "{}",
                        "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparisons")
    void updatesOwnWhatTheyChange(String name, String before, String after, String changed, String removed) {
        ManagedFields.Comparison c = ManagedFields.compare(json(before), json(after), DEPLOYMENT);
        assertThat(c.changed().toFieldsV1()).isEqualTo(map(changed));
        assertThat(c.removed().toFieldsV1()).isEqualTo(map(removed));
    }

    @Test
    void numbersCompareByValueEvenInsideAtomicLists() {
        JsonNode before = json("{'spec':{'template':{'spec':{'tolerations':[{'key':'a','tolerationSeconds':30}]}}}}");
        JsonNode after = before.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) after.get("spec")
                        .get("template")
                        .get("spec")
                        .get("tolerations")
                        .get(0))
                .put("tolerationSeconds", 30L);
        assertThat(after).isNotEqualTo(before);
        ManagedFields.Comparison c = ManagedFields.compare(before, after, DEPLOYMENT);
        assertThat(c.changed().isEmpty()).isTrue();
        assertThat(c.removed().isEmpty()).isTrue();
    }

    @Test
    void anUpdateTakesTheFieldsItChangesFromOtherManagers() {
        List<ManagedFields.Manager> before = List.of(
                new ManagedFields.Manager(
                        "a", "Update", "apps/v1", "t0", null, set("{'f:spec':{'f:replicas':{},'f:paused':{}}}")),
                new ManagedFields.Manager(
                        "b", "Update", "apps/v1", "t0", null, set("{'f:spec':{'f:minReadySeconds':{}}}")));
        ManagedFields.Comparison c = ManagedFields.compare(
                json("{'spec':{'replicas':1,'paused':false,'minReadySeconds':5}}"),
                json("{'spec':{'replicas':2,'paused':false}}"),
                DEPLOYMENT);
        List<ManagedFields.Manager> after = ManagedFields.update(before, "b", null, "apps/v1", "t1", c);
        assertThat(after).extracting(ManagedFields.Manager::name).containsExactly("a", "b");
        assertThat(after.get(0).fields().toFieldsV1()).isEqualTo(map("{'f:spec':{'f:paused':{}}}"));
        assertThat(after.get(1).fields().toFieldsV1()).isEqualTo(map("{'f:spec':{'f:replicas':{}}}"));
        assertThat(after.get(1).time()).isEqualTo("t1");
        assertThat(after.get(0).time()).isEqualTo("t0");
        var entries = ManagedFields.encode(after);
        assertThat(entries).extracting(e -> e.getManager()).containsExactly("a", "b");
        assertThat(entries.get(1).getFieldsType()).isEqualTo("FieldsV1");
        assertThat(entries.get(1).getOperation()).isEqualTo("Update");
    }

    @Test
    void entriesSortApplyFirstThenByTimeAndDropEmptyManagers() {
        List<ManagedFields.Manager> managers = List.of(
                new ManagedFields.Manager("u", "Update", "v1", "2026-01-02T00:00:00Z", null, set("{'f:a':{}}")),
                new ManagedFields.Manager("empty", "Update", "v1", "2026-01-01T00:00:00Z", null, new FieldSet()),
                new ManagedFields.Manager("old", "Update", "v1", "2026-01-01T00:00:00Z", null, set("{'f:b':{}}")),
                new ManagedFields.Manager("x", "Apply", "v1", "2026-01-03T00:00:00Z", null, set("{'f:c':{}}")));
        assertThat(ManagedFields.encode(managers))
                .extracting(e -> e.getManager())
                .containsExactly("x", "old", "u");
    }

    // ------------------------------------------------------------------ apply merge

    static Stream<Arguments> applyMerges() {
        return Stream.of(
                Arguments.of(
                        "containers merge by name, other fields stay",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1','args':['x']},{'name':'b'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2','args':['x']},{'name':'b'}]}}}}"),
                Arguments.of(
                        "a port item without its defaulted protocol is the same item",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'}]}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'protocol':'TCP',"
                                + "'name':'http'}]}]}}}}"),
                Arguments.of(
                        "atomic lists are replaced",
                        "{'spec':{'template':{'spec':{'tolerations':[{'key':'a'}],'containers':[{'name':'a','args':['x','y']}]}}}}",
                        "{'spec':{'template':{'spec':{'tolerations':[{'key':'b'}],'containers':[{'name':'a','args':['z']}]}}}}",
                        "{'spec':{'template':{'spec':{'tolerations':[{'key':'b'}],'containers':[{'name':'a','args':['z']}]}}}}"),
                Arguments.of(
                        "sets are unioned",
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'finalizers':['c','a']}}",
                        "{'metadata':{'finalizers':['a','b','c']}}"),
                Arguments.of(
                        "an atomic selector is replaced whole",
                        "{'spec':{'selector':{'matchLabels':{'a':'1','b':'2'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'c':'3'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'c':'3'}}}}"),
                Arguments.of(
                        "null removes a field",
                        "{'spec':{'replicas':3,'paused':true}}",
                        "{'spec':{'paused':null}}",
                        "{'spec':{'replicas':3}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("applyMerges")
    void applyMergesByListType(String name, String live, String config, String expected) {
        assertThat(ManagedFields.merge(json(live), json(config), DEPLOYMENT)).isEqualTo(json(expected));
    }

    // ------------------------------------------------------------------ pruning

    static Stream<Arguments> prunes() {
        return Stream.of(
                Arguments.of(
                        "a label the applier dropped goes",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'f:metadata':{'f:labels':{'f:a':{},'f:b':{}}}}",
                        "{'f:metadata':{'f:labels':{'f:a':{}}}}",
                        "{'metadata':{'labels':{'a':'1'}}}"),
                Arguments.of(
                        "a label someone else owns stays",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'f:metadata':{'f:labels':{'f:a':{},'f:b':{}}}}",
                        "{'f:metadata':{'f:labels':{'f:a':{},'f:b':{}}}}",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}"),
                Arguments.of(
                        "a dropped container goes, one never applied stays",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}}}",
                        "{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:name':{}},"
                                + "'k:{\\'name\\':\\'b\\'}':{'.':{},'f:name':{}}}}}}}",
                        "{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'a\\'}':{'.':{},'f:name':{}}}}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'c'}]}}}}"),
                Arguments.of(
                        "a dropped field of a kept item goes",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x','args':['y']}]}}}}",
                        "{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'a\\'}':"
                                + "{'.':{},'f:name':{},'f:image':{},'f:args':{}}}}}}}",
                        "{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'a\\'}':"
                                + "{'.':{},'f:name':{},'f:image':{}}}}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'}]}}}}"),
                Arguments.of(
                        "a dropped set value goes",
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'f:metadata':{'f:finalizers':{'v:\\'a\\'':{},'v:\\'b\\'':{}}}}",
                        "{'f:metadata':{'f:finalizers':{'v:\\'a\\'':{}}}}",
                        "{'metadata':{'finalizers':['a']}}"),
                Arguments.of(
                        "a whole subtree nobody owns any more goes",
                        "{'spec':{'replicas':2,'paused':true}}",
                        "{'f:spec':{'f:replicas':{},'f:paused':{}}}",
                        "{}",
                        "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prunes")
    void pruneRemovesWhatNobodyOwnsAnyMore(String name, String merged, String last, String owned, String expected) {
        JsonNode m = json(merged);
        ManagedFields.prune(m, set(last), set(owned), DEPLOYMENT);
        assertThat(m).isEqualTo(json(expected));
    }

    // ------------------------------------------------------------------ conflicts

    @Test
    void oneConflictNamesTheManagerAndPath() {
        ManagedFields.Conflicts conflicts = ManagedFields.conflicts(
                List.of(new ManagedFields.Manager(
                        "other-manager", "Update", "apps/v1", "t", null, set("{'f:spec':{'f:replicas':{}}}"))),
                set("{'f:spec':{'f:replicas':{},'f:paused':{}}}"));
        List<StatusCause> causes = conflicts.causes();
        assertThat(conflicts.message())
                .isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"other-manager\" using apps/v1: .spec.replicas");
        assertThat(causes).singleElement().satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("FieldManagerConflict");
            assertThat(c.getMessage()).isEqualTo("conflict with \"other-manager\" using apps/v1");
            assertThat(c.getField()).isEqualTo(".spec.replicas");
        });
    }

    @Test
    void severalConflictsAreListedByManager() {
        ManagedFields.Conflicts conflicts = ManagedFields.conflicts(
                List.of(
                        new ManagedFields.Manager(
                                "b",
                                "Apply",
                                "apps/v1",
                                "t",
                                null,
                                set("{'f:metadata':{'f:finalizers':{'v:\\'x\\'':{}}}}")),
                        new ManagedFields.Manager(
                                "a",
                                "Update",
                                "apps/v1",
                                "t",
                                "status",
                                set("{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'c\\'}':"
                                        + "{'f:image':{}}}}},'f:replicas':{}}}"))),
                set("{'f:metadata':{'f:finalizers':{'v:\\'x\\'':{}}},'f:spec':{'f:replicas':{},'f:template':{'f:spec':"
                        + "{'f:containers':{'k:{\\'name\\':\\'c\\'}':{'f:image':{}}}}}}}"));
        assertThat(conflicts.causes()).hasSize(3);
        assertThat(conflicts.message())
                .isEqualTo(
                        "Apply failed with 3 conflicts: conflicts with \"a\" with subresource \"status\" using apps/v1:\n"
                                + "- .spec.replicas\n"
                                + "- .spec.template.spec.containers[name=\"c\"].image\n"
                                + "conflicts with \"b\":\n"
                                + "- .metadata.finalizers[=\"x\"]");
    }

    @Test
    void pathsPrintLikeKubernetes() {
        assertThat(FieldSet.toString(List.of(
                        "f:spec",
                        "f:containers",
                        "k:{\"name\":\"c\"}",
                        "f:ports",
                        "k:{\"containerPort\":80,\"protocol\":\"TCP\"}")))
                .isEqualTo(".spec.containers[name=\"c\"].ports[containerPort=80,protocol=\"TCP\"]");
    }
}
