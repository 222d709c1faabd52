package dev.skiff.testing.internal.http;

import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.common.KubeTime;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Server-side printing: the {@code meta.k8s.io/v1} Table kubectl asks for with {@code
 * Accept: application/json;as=Table;...}, with the columns a real API server prints for pods,
 * Jobs, CronJobs, Deployments, ReplicaSets, nodes and events, and NAME and AGE for everything else.
 */
final class Tables {
    private Tables() {}

    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    static String table(
            ResourceType type,
            List<HasMetadata> items,
            long resourceVersion,
            Supplier<Instant> clock,
            KubernetesSerialization json) {
        Instant now = clock.get();
        List<String[]> columns = new ArrayList<>();
        boolean event = type == ResourceTypes.EVENTS;
        if (event) {
            // kubectl get events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; the name is hidden
            columns.add(new String[] {"Last Seen", "string", ""});
            columns.add(new String[] {"Type", "string", ""});
            columns.add(new String[] {"Reason", "string", ""});
            columns.add(new String[] {"Object", "string", ""});
            columns.add(new String[] {"Message", "string", ""});
        }
        columns.add(new String[] {"Name", "string", "name", event ? "1" : "0"});
        if (type == ResourceTypes.PODS) {
            columns.add(new String[] {"Ready", "string", ""});
            columns.add(new String[] {"Status", "string", ""});
            columns.add(new String[] {"Restarts", "string", ""});
        } else if (type == ResourceTypes.JOBS) {
            columns.add(new String[] {"Status", "string", ""});
            columns.add(new String[] {"Completions", "string", ""});
            columns.add(new String[] {"Duration", "string", ""});
        } else if (type == ResourceTypes.NODES) {
            columns.add(new String[] {"Status", "string", ""});
            columns.add(new String[] {"Roles", "string", ""});
        } else if (type == ResourceTypes.DEPLOYMENTS) {
            columns.add(new String[] {"Ready", "string", ""});
            columns.add(new String[] {"Up-to-date", "string", ""});
            columns.add(new String[] {"Available", "string", ""});
        } else if (type == ResourceTypes.REPLICA_SETS) {
            columns.add(new String[] {"Desired", "integer", ""});
            columns.add(new String[] {"Current", "integer", ""});
            columns.add(new String[] {"Ready", "integer", ""});
        } else if (type == ResourceTypes.CRON_JOBS) {
            columns.add(new String[] {"Schedule", "string", ""});
            columns.add(new String[] {"Timezone", "string", ""});
            columns.add(new String[] {"Suspend", "boolean", ""});
            columns.add(new String[] {"Active", "integer", ""});
            columns.add(new String[] {"Last Schedule", "string", ""});
        }
        if (!event) {
            columns.add(new String[] {"Age", "string", ""});
        }
        if (type == ResourceTypes.NODES) {
            columns.add(new String[] {"Version", "string", ""});
        }
        StringBuilder sb = new StringBuilder(
                        "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"")
                .append(resourceVersion)
                .append("\"},\"columnDefinitions\":[");
        for (int i = 0; i < columns.size(); i++) {
            String[] c = columns.get(i);
            sb.append(i > 0 ? "," : "")
                    .append("{\"name\":\"")
                    .append(c[0])
                    .append("\",\"type\":\"")
                    .append(c[1])
                    .append("\",\"format\":\"")
                    .append(c[2])
                    .append("\",\"description\":\"\",\"priority\":")
                    .append(c.length > 3 ? c[3] : "0")
                    .append('}');
        }
        sb.append("],\"rows\":[");
        for (int r = 0; r < items.size(); r++) {
            HasMetadata o = items.get(r);
            List<Object> cells = new ArrayList<>();
            if (o instanceof Event e) {
                eventCells(e, now, cells);
            }
            cells.add(o.getMetadata().getName());
            if (o instanceof Pod p) {
                int ready = 0;
                int total = p.getSpec() == null || p.getSpec().getContainers() == null
                        ? 0
                        : p.getSpec().getContainers().size();
                int restarts = 0;
                String status = p.getStatus() == null || p.getStatus().getPhase() == null
                        ? "Pending"
                        : p.getStatus().getPhase();
                if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
                    for (var cs : p.getStatus().getContainerStatuses()) {
                        if (Boolean.TRUE.equals(cs.getReady())) {
                            ready++;
                        }
                        restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                        if (cs.getState() != null
                                && cs.getState().getWaiting() != null
                                && cs.getState().getWaiting().getReason() != null) {
                            status = cs.getState().getWaiting().getReason();
                        } else if (cs.getState() != null
                                && cs.getState().getTerminated() != null
                                && cs.getState().getTerminated().getReason() != null) {
                            status = cs.getState().getTerminated().getReason();
                        }
                    }
                }
                if (p.getMetadata().getDeletionTimestamp() != null) {
                    status = "Terminating";
                }
                cells.add(ready + "/" + total);
                cells.add(status);
                cells.add(Integer.toString(restarts));
            } else if (o instanceof Job j) {
                String status = "Running";
                if (j.getStatus() != null && j.getStatus().getConditions() != null) {
                    for (var c : j.getStatus().getConditions()) {
                        if ("True".equals(c.getStatus())
                                && ("Complete".equals(c.getType())
                                        || "Failed".equals(c.getType())
                                        || "Suspended".equals(c.getType()))) {
                            status = c.getType();
                        }
                    }
                }
                int succeeded = j.getStatus() == null || j.getStatus().getSucceeded() == null
                        ? 0
                        : j.getStatus().getSucceeded();
                Integer completions = j.getSpec() == null ? null : j.getSpec().getCompletions();
                cells.add(status);
                cells.add(succeeded + "/" + (completions == null ? "1" : completions));
                Instant start = j.getStatus() == null
                        ? null
                        : KubeTime.parse(j.getStatus().getStartTime());
                Instant end = j.getStatus() == null
                        ? null
                        : KubeTime.parse(j.getStatus().getCompletionTime());
                cells.add(start == null ? "" : human(Duration.between(start, end == null ? now : end)));
            } else if (o instanceof Node n) {
                String ready = "NotReady";
                if (n.getStatus() != null && n.getStatus().getConditions() != null) {
                    for (var c : n.getStatus().getConditions()) {
                        if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
                            ready = "Ready";
                        }
                    }
                }
                if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
                    ready += ",SchedulingDisabled";
                }
                cells.add(ready);
                cells.add("<none>");
            } else if (o instanceof Deployment d) {
                var st = d.getStatus();
                int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null
                        ? 1
                        : d.getSpec().getReplicas();
                cells.add(orZero(st == null ? null : st.getReadyReplicas()) + "/" + replicas);
                cells.add(Integer.toString(orZero(st == null ? null : st.getUpdatedReplicas())));
                cells.add(Integer.toString(orZero(st == null ? null : st.getAvailableReplicas())));
            } else if (o instanceof ReplicaSet rs) {
                var st = rs.getStatus();
                cells.add(
                        rs.getSpec() == null || rs.getSpec().getReplicas() == null
                                ? 1
                                : rs.getSpec().getReplicas());
                cells.add(orZero(st == null ? null : st.getReplicas()));
                cells.add(orZero(st == null ? null : st.getReadyReplicas()));
            } else if (o instanceof CronJob cj) {
                var spec = cj.getSpec();
                cells.add(spec == null ? "" : spec.getSchedule());
                cells.add(spec == null || spec.getTimeZone() == null ? "<none>" : spec.getTimeZone());
                cells.add(spec != null && Boolean.TRUE.equals(spec.getSuspend()));
                cells.add(
                        cj.getStatus() == null || cj.getStatus().getActive() == null
                                ? 0
                                : cj.getStatus().getActive().size());
                Instant last = cj.getStatus() == null
                        ? null
                        : KubeTime.parse(cj.getStatus().getLastScheduleTime());
                cells.add(last == null ? "<none>" : human(Duration.between(last, now)));
            }
            if (!(o instanceof Event)) {
                Instant created = KubeTime.parse(o.getMetadata().getCreationTimestamp());
                cells.add(created == null ? "<unknown>" : human(Duration.between(created, now)));
            }
            if (o instanceof Node n) {
                cells.add(
                        n.getStatus() == null || n.getStatus().getNodeInfo() == null
                                ? ""
                                : n.getStatus().getNodeInfo().getKubeletVersion());
            }
            sb.append(r > 0 ? "," : "").append("{\"cells\":[");
            for (int i = 0; i < cells.size(); i++) {
                sb.append(i > 0 ? "," : "").append(json.asJson(cells.get(i)));
            }
            var meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(o.getMetadata())
                    .withManagedFields()
                    .build();
            sb.append(
                            "],\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":")
                    .append(json.asJson(meta))
                    .append("}}");
        }
        return sb.append("]}").toString();
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    /** LAST SEEN, TYPE, REASON, OBJECT, MESSAGE of a core/v1 Event, as the API server prints them. */
    private static void eventCells(Event e, Instant now, List<Object> cells) {
        Instant last = KubeTime.parse(e.getLastTimestamp());
        if (last == null) {
            last = KubeTime.parse(
                    e.getEventTime() == null ? null : e.getEventTime().getTime());
        }
        if (last == null) {
            last = KubeTime.parse(e.getMetadata().getCreationTimestamp());
        }
        String seen = last == null ? "<unknown>" : human(Duration.between(last, now));
        int count = e.getCount() == null ? 1 : e.getCount();
        Instant first = KubeTime.parse(e.getFirstTimestamp());
        if (count > 1 && first != null) {
            seen += " (x" + count + " over " + human(Duration.between(first, now)) + ")";
        }
        cells.add(seen);
        cells.add(e.getType() == null ? "" : e.getType());
        cells.add(e.getReason() == null ? "" : e.getReason());
        var ref = e.getInvolvedObject();
        cells.add(ref == null ? "" : ref.getKind().toLowerCase(java.util.Locale.ROOT) + "/" + ref.getName());
        cells.add(e.getMessage() == null ? "" : e.getMessage().strip());
    }

    /** kubectl's short durations: 45s, 3m20s, 5h, 2d3h. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return h + "h";
        }
        long days = h / 24;
        return days + "d" + (h % 24 == 0 || days >= 8 ? "" : (h % 24) + "h");
    }
}
