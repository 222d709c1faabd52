package dev.skiff.core;

import java.util.Objects;

/**
 * A snapshot of an interactive session's replicas, as {@link SessionHandle#status()} reports it.
 *
 * <pre>{@code
 * SessionStatus s = session.status();
 * System.out.println(s.phase() + ": " + s.readyReplicas() + "/" + s.replicas() + " ready");
 * }</pre>
 *
 * @param session the session's kind, namespace and name, as {@code StatefulSet ml/notebook}
 * @param phase where the session is
 * @param replicas the replicas asked for (0 while suspended)
 * @param readyReplicas replicas whose pods are ready
 * @param updatedReplicas replicas running the current template
 * @param availableReplicas replicas ready for at least {@code minReadySeconds}
 * @param observed whether the controller has seen the latest change of the spec
 */
public record SessionStatus(
        String session,
        Phase phase,
        int replicas,
        int readyReplicas,
        int updatedReplicas,
        int availableReplicas,
        boolean observed) {

    /** Where a session is. */
    public enum Phase {
        /** Replicas are being created or started. */
        PENDING,
        /** Every replica runs the current template and is ready. */
        READY,
        /**
         * A change of the template (image, resources, environment) is being rolled out: pods of the
         * old template are left, or the new ones are not all ready yet.
         */
        UPDATING,
        /** Scaled to zero by {@link SessionHandle#suspend()}; volumes are kept. */
        SUSPENDED
    }

    /** Checks the arguments. */
    public SessionStatus {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(phase, "phase");
    }

    /** Returns one line such as {@code StatefulSet ml/notebook Updating: 1/2 ready, 1/2 updated}. */
    public String summary() {
        String p = phase.name().charAt(0) + phase.name().substring(1).toLowerCase(java.util.Locale.ROOT);
        return session + " " + p + ": " + readyReplicas + "/" + replicas + " ready, " + updatedReplicas + "/" + replicas
                + " updated";
    }
}
