package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InMemoryCluster#timeline()}: what the page draws for a run with every outcome. */
class TimelineIT {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static Pod pod(String name, String app, int gpus) {
        PodBuilder b = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .withLabels(Map.of("app", app, "batch.kubernetes.io/job-name", "job-" + app))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withNewResources()
                .endResources()
                .endContainer()
                .endSpec();
        Pod pod = b.build();
        if (gpus > 0) {
            pod.getSpec()
                    .getContainers()
                    .get(0)
                    .getResources()
                    .setLimits(Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus))));
        }
        return pod;
    }

    /**
     * Runs, on one node of 2 GPUs and one without: a 2-GPU pod that succeeds after a minute, a
     * 1-GPU pod waiting for it, a pod that fails, one OOMKilled, one deleted, one still running,
     * and one that never fits.
     */
    static InMemoryCluster run() {
        InMemoryCluster cluster = InMemoryCluster.builder()
                .startTime(START)
                .node(FakeNode.named("gpu-node").withGpus(2, "NVIDIA-H100-80GB-HBM3"))
                .node(FakeNode.named("cpu-node"))
                .podScript("app=ok", PodScript.succeedAfter(Duration.ofMinutes(1)))
                .podScript("app=bad", PodScript.failAfter(Duration.ofSeconds(30), 2))
                .podScript("app=oom", PodScript.oomKilledAfter(Duration.ofSeconds(20)))
                .podScript("app=forever", PodScript.runForever())
                .start();
        KubernetesClient client = cluster.kubernetesClient();
        for (Pod p : List.of(
                pod("train-a", "ok", 2),
                pod("train-b", "ok", 1),
                pod("crash", "bad", 0),
                pod("oom", "oom", 0),
                pod("doomed", "forever", 0),
                pod("serve", "forever", 0),
                pod("huge", "ok", 4))) {
            client.pods().inNamespace("default").resource(p).create();
        }
        cluster.advanceClock(Duration.ofSeconds(40));
        client.pods().inNamespace("default").withName("doomed").delete();
        cluster.advanceClock(Duration.ofSeconds(140));
        return cluster;
    }

    static List<String> all(String html, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(html);
        while (m.find()) {
            out.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return out;
    }

    @Test
    void drawsLanesBarsOutcomesLeadInsAndUtilisation(@TempDir Path dir) throws Exception {
        try (InMemoryCluster cluster = run()) {
            Path file = cluster.timeline(dir.resolve("out/timeline.html"));
            String html = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(html).isEqualTo(cluster.timeline());
            assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").endsWith("</html>\n");
            // self-contained: no script, nothing fetched, no external font
            assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                    .doesNotContain("<script", "http:", "https:", "//", "@import", "@font-face", "src=", "url(http");

            // one lane per node and one per GPU of each node
            assertThat(all(html, "<g class=\"lane node\" data-node=\"([^\"]+)\""))
                    .containsExactly("gpu-node", "cpu-node");
            assertThat(all(html, "<g class=\"lane gpu\" data-node=\"gpu-node\" data-gpu=\"(\\d)\""))
                    .containsExactly("0", "1");
            assertThat(html).doesNotContain("data-node=\"cpu-node\" data-gpu=");
            assertThat(all(html, "<g class=\"lane unscheduled\"")).hasSize(1);

            // a bar per pod (one per GPU it held), classed and coloured by outcome
            assertThat(bars(html, "default/train-a")).containsExactly("succeeded 0", "succeeded 1");
            assertThat(bars(html, "default/train-b")).containsExactly("succeeded 0");
            assertThat(bars(html, "default/crash")).containsExactly("failed -");
            assertThat(bars(html, "default/oom")).containsExactly("oomkilled -");
            assertThat(bars(html, "default/doomed")).containsExactly("deleted -");
            assertThat(bars(html, "default/serve")).containsExactly("running -");
            assertThat(bars(html, "default/huge")).isEmpty();
            assertThat(html)
                    .contains("<g class=\"pod succeeded\" data-pod=\"default/train-b\" data-gpu=\"0\">")
                    .containsPattern(
                            "data-pod=\"default/crash\"><title>[^<]*</title><rect class=\"bar\"[^>]*fill=\"#d64541\"")
                    .containsPattern(
                            "data-pod=\"default/oom\"><title>[^<]*</title><rect class=\"bar\"[^>]*fill=\"#8e44ad\"")
                    .contains(".pod.succeeded .bar{fill:#2f9e58}", ".pod.oomkilled .bar{fill:#8e44ad}");
            // labels: pod name and job
            assertThat(html).contains(">train-b · job-ok</text>");

            // pending lead-ins: train-b waited a minute for train-a's GPUs; huge never fits
            assertThat(all(html, "<rect class=\"lead\" data-pod=\"([^\"]+)\""))
                    .containsExactlyInAnyOrder("default/train-b", "default/huge");
            assertThat(html).contains("fill:url(#skiff-hatch)", "<pattern id=\"skiff-hatch\"");
            double leadWidth = Double.parseDouble(all(
                            html,
                            "<rect class=\"lead\" data-pod=\"default/train-b\" x=\"[\\d.]+\" y=\"\\d+\" width=\"([\\d.]+)\"")
                    .get(0));
            // 60 s of a 180 s run, drawn 1160 px wide
            assertThat(leadWidth).isCloseTo(1160 / 3.0, org.assertj.core.data.Offset.offset(1.0));
            assertThat(html).contains("default/train-b (job job-ok): succeeded; pending 1m, then 1m on gpu-node GPU 0");

            // utilisation: 2 of 2 GPUs for a minute, 1 of 2 for the next, then none
            String path =
                    all(html, "<path class=\"utilisation\" d=\"([^\"]+)\"").get(0);
            assertThat(path)
                    .isEqualTo(
                            "M210,130 L210,130 L210,40 L596.7,40 L596.7,85 L983.3,85 L983.3,130 L1370,130 L1370,130 Z");
            assertThat(html).contains("(2 GPUs at the end)");
            // a time axis in virtual time
            assertThat(html).contains(">0s</text>", ">1m</text>", ">3m</text>");
        }
    }

    /** Returns "outcome gpu" for each bar of a pod, "-" for a pod without GPUs. */
    static List<String> bars(String html, String pod) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(
                        "<g class=\"pod (\\w+)\" data-pod=\"" + Pattern.quote(pod) + "\"(?: data-gpu=\"(\\d+)\")?>")
                .matcher(html);
        while (m.find()) {
            out.add(m.group(1) + " " + (m.group(2) == null ? "-" : m.group(2)));
        }
        return out;
    }
}
