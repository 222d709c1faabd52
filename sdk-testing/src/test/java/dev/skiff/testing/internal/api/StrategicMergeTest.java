package dev.skiff.testing.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Strategic merge patch: object + patch → expected object, per kind's schema. */
class StrategicMergeTest {
    static final ResourceType POD = ResourceTypes.PODS;

    /** JSON with single quotes for readability. */
    static JsonNode json(String s) {
        return Patches.JSON.readTree(s.replace('\'', '"'));
    }

    static Arguments merge(String name, ResourceType type, String original, String patch, String expected) {
        return Arguments.of(name, type, original, patch, expected);
    }

    static Stream<Arguments> merges() {
        return Stream.of(
                merge(
                        "maps merge key by key",
                        POD,
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'b':'3','c':'4'}}}",
                        "{'metadata':{'labels':{'a':'1','b':'3','c':'4'}}}"),
                merge(
                        "null deletes a map key",
                        POD,
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'a':null,'zz':null}}}",
                        "{'metadata':{'labels':{'b':'2'}}}"),
                merge(
                        "containers merge by name",
                        POD,
                        "{'spec':{'containers':[{'name':'a','image':'x:1','args':['p']},{'name':'b','image':'y:1'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'y:2'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'x:1','args':['p']},{'name':'b','image':'y:2'}]}}"),
                merge(
                        "new items of a merged list come first",
                        POD,
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'z'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'z'},{'name':'a'},{'name':'b'}]}}"),
                merge(
                        "patched items take the patch's order, server-only items go before what followed them",
                        POD,
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'3'},{'name':'a','image':'1'}]}}",
                        "{'spec':{'containers':[{'name':'b'},{'name':'c','image':'3'},{'name':'a','image':'1'}]}}"),
                merge(
                        "env merges by name inside a container",
                        POD,
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'3'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'3'}]}]}}"),
                merge(
                        "$patch delete removes a list item by merge key",
                        POD,
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','$patch':'delete'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'2'}]}]}}"),
                merge(
                        "$patch replace on a list item replaces the whole list",
                        POD,
                        "{'spec':{'volumes':[{'name':'v1','emptyDir':{}},{'name':'v2','emptyDir':{}}]}}",
                        "{'spec':{'volumes':[{'$patch':'replace'},{'name':'v3','emptyDir':{}}]}}",
                        "{'spec':{'volumes':[{'name':'v3','emptyDir':{}}]}}"),
                merge(
                        "tolerations are replaced, not merged",
                        POD,
                        "{'spec':{'tolerations':[{'key':'a','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}",
                        "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}"),
                merge(
                        "args and command are replaced",
                        POD,
                        "{'spec':{'containers':[{'name':'a','command':['sh'],'args':['-c','x']}]}}",
                        "{'spec':{'containers':[{'name':'a','args':['y']}]}}",
                        "{'spec':{'containers':[{'name':'a','command':['sh'],'args':['y']}]}}"),
                merge(
                        "container ports merge by containerPort",
                        POD,
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'},{'containerPort':443}]}]}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':443,'name':'https'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'http'},{'containerPort':443,'name':'https'}]}]}}"),
                merge(
                        "volume mounts merge by mountPath",
                        POD,
                        "{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'v','mountPath':'/a'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'w','mountPath':'/a','readOnly':true}]}]}}",
                        "{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'w','mountPath':'/a','readOnly':true}]}]}}"),
                merge(
                        "finalizers merge as a set, new values first",
                        POD,
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'finalizers':['c','a']}}",
                        "{'metadata':{'finalizers':['c','a','b']}}"),
                merge(
                        "$deleteFromPrimitiveList removes values of a set",
                        POD,
                        "{'metadata':{'finalizers':['a','b','c']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','zz']}}",
                        "{'metadata':{'finalizers':['a','c']}}"),
                merge(
                        "$setElementOrder orders a merged list",
                        POD,
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'b'},{'name':'a'}],"
                                + "'containers':[{'name':'b','image':'2'}]}}",
                        "{'spec':{'containers':[{'name':'c'},{'name':'b','image':'2'},{'name':'a'}]}}"),
                merge(
                        "$setElementOrder places a new item",
                        POD,
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'},{'name':'b'}],"
                                + "'containers':[{'name':'c','image':'3'}]}}",
                        "{'spec':{'containers':[{'name':'a'},{'name':'c','image':'3'},{'name':'b'}]}}"),
                merge(
                        "$setElementOrder orders a set",
                        POD,
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'$setElementOrder/finalizers':['b','c','a'],'finalizers':['c']}}",
                        "{'metadata':{'finalizers':['b','c','a']}}"),
                merge(
                        "$patch replace on a map replaces it",
                        POD,
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}",
                        "{'metadata':{'labels':{'c':'3'}}}"),
                merge(
                        "$patch delete on a map empties it",
                        POD,
                        "{'spec':{'securityContext':{'runAsUser':1}}}",
                        "{'spec':{'securityContext':{'$patch':'delete'}}}",
                        "{'spec':{'securityContext':{}}}"),
                merge(
                        "$retainKeys clears the fields it does not list",
                        ResourceTypes.DEPLOYMENTS,
                        "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
                        "{'spec':{'strategy':{'type':'Recreate'}}}"),
                merge(
                        "Deployment template containers merge by name",
                        ResourceTypes.DEPLOYMENTS,
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'},{'name':'b','image':'1'}]}}}}"),
                merge(
                        "CronJob job template containers merge by name",
                        ResourceTypes.CRON_JOBS,
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}}}}}",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'2'}]}}}}}}",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b','image':'2'}]}}}}}}"),
                merge(
                        "Service ports merge by port",
                        ResourceTypes.SERVICES,
                        "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}",
                        "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
                        "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443}]}}"),
                merge(
                        "the Service selector is replaced key by key like any map",
                        ResourceTypes.SERVICES,
                        "{'spec':{'selector':{'a':'1'}}}",
                        "{'spec':{'selector':{'b':'2'}}}",
                        "{'spec':{'selector':{'a':'1','b':'2'}}}"),
                merge(
                        "status conditions merge by type",
                        POD,
                        "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]}}"),
                merge(
                        "Job conditions merge by type too",
                        ResourceTypes.JOBS,
                        "{'status':{'conditions':[{'type':'Suspended','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Complete','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Complete','status':'True'},{'type':'Suspended','status':'True'}]}}"),
                merge(
                        "container statuses are replaced",
                        POD,
                        "{'status':{'containerStatuses':[{'name':'a','ready':true},{'name':'b','ready':true}]}}",
                        "{'status':{'containerStatuses':[{'name':'a','ready':false}]}}",
                        "{'status':{'containerStatuses':[{'name':'a','ready':false}]}}"),
                merge(
                        "ownerReferences merge by uid",
                        POD,
                        "{'metadata':{'ownerReferences':[{'uid':'1','name':'x'}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'1','controller':true},{'uid':'2','name':'y'}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'1','name':'x','controller':true},{'uid':'2','name':'y'}]}}"),
                merge(
                        "a list the object lacks is taken from the patch without directives",
                        POD,
                        "{'spec':{}}",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b','$patch':'delete'}]}}",
                        "{'spec':{'containers':[{'name':'a'}]}}"),
                merge(
                        "an unknown field merges as a map",
                        ResourceTypes.CONFIG_MAPS,
                        "{'data':{'a':'1'}}",
                        "{'data':{'b':'2'}}",
                        "{'data':{'a':'1','b':'2'}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void merges(String name, ResourceType type, String original, String patch, String expected) {
        JsonNode before = json(original);
        JsonNode p = json(patch);
        JsonNode result = StrategicMerge.apply(before, p, Schema.of(type));
        assertThat(result).isEqualTo(json(expected));
        assertThat(before).as("the original is not modified").isEqualTo(json(original));
        assertThat(p).as("the patch is not modified").isEqualTo(json(patch));
    }

    static Arguments error(String name, String original, String patch, int code, String message) {
        return Arguments.of(name, original, patch, code, message);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                error(
                        "an unknown $patch on a map",
                        "{'metadata':{'labels':{'a':'1'}}}",
                        "{'metadata':{'labels':{'$patch':'foo','b':'2'}}}",
                        500,
                        "unknown patch type: foo in map: map[$patch:foo b:2]"),
                error(
                        "$patch merge in a list",
                        "{'spec':{'containers':[{'name':'a'}]}}",
                        "{'spec':{'containers':[{'$patch':'merge'}]}}",
                        500,
                        "merging lists cannot yet be specified in the patch"),
                error(
                        "an item without the merge key",
                        "{'spec':{'containers':[{'name':'a'}]}}",
                        "{'spec':{'containers':[{'image':'x'}]}}",
                        500,
                        "map: map[image:x] does not contain declared merge key: name"),
                error(
                        "a deleted item without the merge key",
                        "{'spec':{'containers':[{'name':'a'}]}}",
                        "{'spec':{'containers':[{'$patch':'delete'}]}}",
                        500,
                        "map: map[$patch:delete] does not contain declared merge key: name"),
                error(
                        "$retainKeys that is not a list",
                        "{'spec':{}}",
                        "{'spec':{'$retainKeys':'x'}}",
                        400,
                        "invalid patch format of retainKeys"),
                error(
                        "$retainKeys that leaves out a patched field",
                        "{'spec':{}}",
                        "{'spec':{'$retainKeys':['a'],'b':'1'}}",
                        400,
                        "invalid patch format of retainKeys"),
                error(
                        "$deleteFromPrimitiveList that is not a list",
                        "{'metadata':{'finalizers':['a']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}",
                        400,
                        "invalid patch format of primitive list"),
                error(
                        "$setElementOrder that is not a list",
                        "{'spec':{'containers':[{'name':'a'}]}}",
                        "{'spec':{'$setElementOrder/containers':'a'}}",
                        400,
                        "invalid patch format of setElementOrder list"),
                error(
                        "$setElementOrder that does not match the patch list",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'b'}]}}",
                        500,
                        "The order in patch list:"),
                error(
                        "a list of lists",
                        "{'metadata':{'finalizers':[['a']]}}",
                        "{'metadata':{'finalizers':[['b']]}}",
                        422,
                        "the server rejected our request due to an error in our request"),
                error("a patch that is not an object", "{}", "[1]", 400, "invalid JSON document"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(String name, String original, String patch, int code, String message) {
        assertThatThrownBy(() -> StrategicMerge.apply(json(original), json(patch), Schema.of(POD)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }
}
