package dev.skiff.gpu;

import dev.skiff.core.BatchJob;
import dev.skiff.core.Container;
import dev.skiff.core.Placement;
import dev.skiff.core.Resources;
import dev.skiff.core.ScheduledJob;
import java.time.Duration;

/** The workloads of the golden-file tests, one per rendering of the gpu module's traits. */
final class TraitWorkloads {
    private TraitWorkloads() {}

    static BatchJob.Builder trainer(String name) {
        return BatchJob.builder()
                .name(name)
                .namespace("ml")
                .container(Container.of("ghcr.io/acme/trainer:1.4")
                        .withCommand("torchrun", "train.py")
                        .withResources(Resources.cpu("32").memory("256Gi")));
    }

    /** Two nodes of eight H100s each, torchrun wired. */
    static BatchJob distributedTraining() {
        return trainer("llama-finetune")
                .addTraits(DistributedTraining.nodes(2)
                        .gpusPerNode(Gpu.nvidia(8).model("H100").withSharedMemory("64Gi")))
                .build();
    }

    /** Four CPU nodes, two processes each, on port 23456, done when rank 0 is done. */
    static BatchJob leaderSuccessTraining() {
        return trainer("cpu-ddp")
                .backoffLimit(0)
                .addTraits(DistributedTraining.nodes(4)
                        .nprocPerNode(2)
                        .port(23456)
                        .serviceName("ranks")
                        .succeedWhenLeaderSucceeds())
                .build();
    }

    /** A job waiting in a Kueue LocalQueue, with a workload priority class. */
    static BatchJob kueueJob() {
        return trainer("queued-eval")
                .addTraits(Gpu.nvidia(1), Queue.kueue("team-a").priorityClass("high"))
                .build();
    }

    /** A nightly job whose every run goes through Kueue. */
    static ScheduledJob kueueCronJob() {
        return ScheduledJob.builder()
                .job(trainer("nightly-eval").addTraits(Queue.kueue("team-a")).build())
                .schedule("0 3 * * *")
                .build();
    }

    /** Distributed training gang-scheduled by Volcano in a queue, with a priority class. */
    static BatchJob volcanoGang() {
        return trainer("llama-pretrain")
                .placement(Placement.builder().priorityClass("research-high").build())
                .addTraits(
                        DistributedTraining.nodes(4).gpusPerNode(Gpu.nvidia(8)),
                        Gang.volcano().queue("research"))
                .build();
    }

    /** Distributed training on KAI Scheduler's queue. */
    static BatchJob kaiJob() {
        return trainer("kai-train")
                .addTraits(
                        DistributedTraining.nodes(2).gpusPerNode(Gpu.nvidia(4)),
                        Gang.kai().queue("team-a"))
                .build();
    }

    /** Distributed training gang-scheduled by the scheduler-plugins Coscheduling plugin. */
    static BatchJob coschedulingGang() {
        return trainer("cosched-train")
                .addTraits(
                        DistributedTraining.nodes(3).gpusPerNode(Gpu.nvidia(2)),
                        Gang.coscheduling().scheduleTimeout(Duration.ofMinutes(5)))
                .build();
    }
}
