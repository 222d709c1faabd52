package dev.skiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.InteractiveSession;
import dev.skiff.core.JobHandle;
import dev.skiff.core.Outcome;
import dev.skiff.core.PersistentStorage;
import dev.skiff.core.Port;
import dev.skiff.core.Resources;
import dev.skiff.core.ScheduleHandle;
import dev.skiff.core.ScheduledJob;
import dev.skiff.core.SessionHandle;
import dev.skiff.core.Skiff;
import dev.skiff.core.SkiffConfig;
import dev.skiff.core.Submission;
import dev.skiff.testing.FakeNode;
import dev.skiff.testing.InMemoryCluster;
import dev.skiff.testing.RecordedRequest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Skiff under the minimal Role the README documents. On the real control plane Skiff runs with a
 * namespace-scoped ServiceAccount token bound only to that Role, so RBAC itself says whether the
 * Role is enough; the in-memory cluster has no RBAC, so there every request Skiff's workflows send
 * is checked against the Role's rules instead. Both run the same workflows.
 */
class RbacScenarios {
    private static final Duration WAIT = Duration.ofSeconds(90);

    static java.util.stream.Stream<Target.Kind> kinds() {
        return Target.kinds();
    }

    @ParameterizedTest(name = "[{0}] security/Skiff's workflows need no more than the README's Role")
    @MethodSource("kinds")
    void workflowsUnderTheReadmeRole(Target.Kind kind) {
        Role role = readmeRole();
        if (kind == Target.Kind.IN_MEMORY) {
            try (InMemoryCluster cluster = InMemoryCluster.builder()
                    .node(FakeNode.named("cpu-1").withCpu("32").withMemory("128Gi"))
                    .realTime(60)
                    .start()) {
                String ns = "rbac";
                cluster.kubernetesClient()
                        .namespaces()
                        .resource(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(ns)
                                .endMetadata()
                                .build())
                        .create();
                int before = cluster.requests().size();
                try (Skiff skiff = Skiff.using(cluster.kubernetesClient())) {
                    workflows(skiff, ns);
                } // closing it ends its watches, which are logged when they end
                List<RecordedRequest> sent =
                        cluster.requests().subList(before, cluster.requests().size());
                List<String> denied = new ArrayList<>();
                TreeSet<String> used = new TreeSet<>();
                for (RecordedRequest r : sent) {
                    Access a = Access.of(r.verb(), r.path());
                    if (a == null) {
                        continue; // discovery, /version, /openapi: open to every authenticated user
                    }
                    used.add(a.toString());
                    if (!a.namespace().equals(ns)) {
                        denied.add(a + " outside the namespace: " + r.method() + " " + r.path());
                    } else if (!allows(role, a)) {
                        denied.add(a + ": " + r.method() + " " + r.path());
                    }
                }
                assertThat(denied)
                        .as("requests the Role does not allow; used: " + used)
                        .isEmpty();
                assertThat(used).as("the workflows ran: " + used).contains("create batch/jobs", "watch batch/jobs");
            }
            return;
        }
        try (Target t = kind.open()) {
            t.addNode(FakeNode.named("cpu-" + t.namespace()).withCpu("32").withMemory("128Gi"));
            KubernetesClient admin = t.client();
            String ns = t.namespace();
            admin.serviceAccounts()
                    .inNamespace(ns)
                    .resource(new ServiceAccountBuilder()
                            .withNewMetadata()
                            .withName("skiff")
                            .endMetadata()
                            .build())
                    .create();
            role.getMetadata().setNamespace(ns);
            admin.rbac().roles().inNamespace(ns).resource(role).create();
            admin.rbac()
                    .roleBindings()
                    .inNamespace(ns)
                    .resource(new RoleBindingBuilder()
                            .withNewMetadata()
                            .withName("skiff")
                            .endMetadata()
                            .withNewRoleRef()
                            .withApiGroup("rbac.authorization.k8s.io")
                            .withKind("Role")
                            .withName(role.getMetadata().getName())
                            .endRoleRef()
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName("skiff")
                            .withNamespace(ns)
                            .endSubject()
                            .build())
                    .create();
            String token = admin.serviceAccounts()
                    .inNamespace(ns)
                    .withName("skiff")
                    .tokenRequest(new TokenRequestBuilder()
                            .withNewSpec()
                            .withExpirationSeconds(3600L)
                            .endSpec()
                            .build())
                    .getStatus()
                    .getToken();
            try (KubernetesClient scoped = new KubernetesClientBuilder()
                            .withConfig(new ConfigBuilder()
                                    .withMasterUrl(admin.getConfiguration().getMasterUrl())
                                    .withCaCertData(admin.getConfiguration().getCaCertData())
                                    .withCaCertFile(admin.getConfiguration().getCaCertFile())
                                    .withOauthToken(token)
                                    .withNamespace(ns)
                                    .build())
                            .build();
                    Skiff skiff = Skiff.using(
                            scoped, SkiffConfig.builder().namespace(ns).build())) {
                // the token is not an administrator's: nothing outside its namespace, no nodes
                assertThat(forbidden(() -> scoped.nodes().list())).isTrue();
                assertThat(forbidden(() -> scoped.pods().inNamespace("default").list()))
                        .isTrue();
                assertThat(forbidden(() -> scoped.secrets().inNamespace(ns).list()))
                        .isTrue();
                workflows(skiff, ns);
            }
        }
    }

    private static boolean forbidden(Runnable call) {
        try {
            call.run();
            return false;
        } catch (KubernetesClientException e) {
            return e.getCode() == 403;
        }
    }

    /** What an application does with Skiff: jobs, sessions and schedules, each through its handle. */
    private static void workflows(Skiff skiff, String ns) {
        // batch jobs: submit, follow, explain, logs, events
        JobHandle train =
                skiff.submit(job(ns, "train").completions(2).parallelism(2).build());
        assertThat(train.await(WAIT)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(train.status().succeeded()).isEqualTo(2);
        train.logs().lines();
        try (var follow = train.logs().follow(line -> {})) {
            // a finished job's logs are followed to their end
        }
        train.events();
        train.diagnose();
        // a resubmission of the same spec is the same job
        assertThat(skiff.submit(job(ns, "train").completions(2).parallelism(2).build())
                        .name())
                .isEqualTo("train");
        // submitAll, re-attach, list, suspend, resume, cancel
        List<Submission> all = skiff.submitAll(List.of(
                job(ns, "eval-a").suspend(true).build(),
                job(ns, "eval-b").suspend(true).build()));
        assertThat(all).allMatch(s -> s instanceof Submission.Submitted);
        JobHandle evalA = skiff.job(ns, "eval-a");
        assertThat(skiff.jobs(ns, Map.of())).extracting(JobHandle::name).contains("train", "eval-a", "eval-b");
        evalA.resume();
        assertThat(evalA.await(WAIT)).isInstanceOf(Outcome.Succeeded.class);
        JobHandle evalB = skiff.job(ns, "eval-b");
        evalB.resume();
        evalB.suspend();
        evalB.cancelAndWait(WAIT);
        train.cancel();

        // a notebook on a Deployment: ready, endpoint, scale, suspend, resume, update, delete
        SessionHandle session = skiff.submit(notebook(ns, "jupyter/base-notebook:2024-10-07"));
        session.awaitReady(WAIT);
        session.endpoint();
        session.scale(2);
        session.awaitReady(WAIT);
        session.suspend();
        session.resume();
        session.update(notebook(ns, "jupyter/base-notebook:2024-11-04"));
        session.awaitReady(WAIT);
        session.logs().lines();
        session.events();
        session.diagnose();
        session.delete();
        // a notebook keeping a volume per replica: a StatefulSet with claim templates
        SessionHandle stateful = skiff.submit(InteractiveSession.builder()
                .name("workbench")
                .namespace(ns)
                .container(Container.of("jupyter/base-notebook:2024-10-07").withResources(Resources.cpu("1")))
                .addPorts(Port.of("http", 8888))
                .addPerReplicaStorage(PersistentStorage.of("home", "10Gi", "/home/jovyan"))
                .build());
        stateful.status();
        stateful.diagnose();
        stateful.delete();

        // a nightly schedule: runs by hand, suspend, resume, reschedule, delete with its runs
        ScheduleHandle nightly = skiff.submit(ScheduledJob.builder()
                .job(job(ns, "retrain").build())
                .schedule("30 2 * * *")
                .timeZone("Europe/Berlin")
                .build());
        nightly.status();
        nightly.nextRuns(2);
        JobHandle run = nightly.triggerNow();
        assertThat(run.await(WAIT)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(nightly.runs()).extracting(JobHandle::name).contains(run.name());
        nightly.suspend();
        nightly.resume();
        nightly.reschedule("0 3 * * *");
        nightly.delete(true);
    }

    private static InteractiveSession notebook(String ns, String image) {
        return InteractiveSession.builder()
                .name("notebook")
                .namespace(ns)
                .container(Container.of(image).withResources(Resources.cpu("1")))
                .addPorts(Port.of("http", 8888))
                .build();
    }

    private static BatchJob.Builder job(String ns, String name) {
        return BatchJob.builder()
                .name(name)
                .namespace(ns)
                .container(Container.of("ghcr.io/acme/trainer:1.4").withResources(Resources.cpu("1")))
                .backoffLimit(0);
    }

    /** The Role in the README, between {@code <!-- skiff-role -->} and the end of its yaml block. */
    static Role readmeRole() {
        String root = System.getProperty("skiff.conformance.root");
        Path readme = Path.of(root != null ? root : ".").toAbsolutePath().resolve("../README.md");
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = Pattern.compile("<!-- skiff-role -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(text);
        assertThat(m.find()).as("the README's Role block in " + readme).isTrue();
        return new KubernetesClientBuilder()
                .build()
                .getKubernetesSerialization()
                .unmarshal(m.group(1), Role.class);
    }

    static boolean allows(Role role, Access a) {
        for (PolicyRule rule : role.getRules()) {
            boolean group = rule.getApiGroups().contains(a.group())
                    || rule.getApiGroups().contains("*");
            boolean resource = rule.getResources().contains(a.resource())
                    || rule.getResources().contains("*");
            boolean verb = rule.getVerbs().contains(a.verb()) || rule.getVerbs().contains("*");
            if (group && resource && verb) {
                return true;
            }
        }
        return false;
    }

    /** One request as RBAC sees it: verb, API group, resource (with subresource) and namespace. */
    record Access(String verb, String group, String resource, String namespace) {
        private static final Pattern CORE =
                Pattern.compile("^/api/v1/namespaces/([^/]+)/([^/]+)(?:/[^/]+(?:/([^/]+))?)?$");
        private static final Pattern GROUP =
                Pattern.compile("^/apis/([^/]+)/[^/]+/namespaces/([^/]+)/([^/]+)(?:/[^/]+(?:/([^/]+))?)?$");
        private static final Pattern CLUSTER =
                Pattern.compile("^/(?:api/v1|apis/([^/]+)/[^/]+)/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");

        /** Returns the access a request path needs, or null for a non-resource URL. */
        static Access of(String verb, String path) {
            String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            Matcher m = CORE.matcher(p);
            if (m.matches()) {
                return new Access(verb, "", sub(m.group(2), m.group(3)), m.group(1));
            }
            m = GROUP.matcher(p);
            if (m.matches()) {
                return new Access(verb, m.group(1), sub(m.group(3), m.group(4)), m.group(2));
            }
            if (p.startsWith("/api/v1/") || (p.startsWith("/apis/") && p.split("/").length > 4)) {
                m = CLUSTER.matcher(p);
                if (m.matches()) {
                    String group = m.group(1) == null ? "" : m.group(1);
                    return new Access(verb, group, sub(m.group(2), m.group(4)), "");
                }
            }
            return null;
        }

        private static String sub(String resource, String subresource) {
            return subresource == null ? resource : resource + "/" + subresource;
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
        }
    }
}
