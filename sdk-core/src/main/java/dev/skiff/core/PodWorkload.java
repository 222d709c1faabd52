package dev.skiff.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pod-level attributes shared by workloads that run pods; the renderer builds pod templates from it. */
interface PodWorkload extends Workload {
    Map<String, String> labels();

    Map<String, String> annotations();

    Map<String, String> podAnnotations();

    List<Container> containers();

    List<Container> initContainers();

    List<Volume> volumes();

    Placement placement();

    Optional<String> serviceAccount();

    PodSecurity podSecurity();

    List<Trait> traits();
}
