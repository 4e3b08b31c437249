package io.pgha.chaos;

import java.util.Arrays;

/** The faults the harness injects, by the names used on the command line and in the results. */
public enum FaultKind {
    /** kill -9 of the leader's agent, postmaster and the postmaster's children together; then started again. */
    KILL_PRIMARY("kill-primary"),
    /** kill -9 of the leader's postmaster and its children; its agent starts PostgreSQL again. */
    KILL_POSTGRES("kill-postgres"),
    /** SIGSTOP of the leader's agent for longer than ttl, then SIGCONT: a hung agent over a live PostgreSQL. */
    SIGSTOP_AGENT("sigstop-agent"),
    /** kill -9 of one etcd member (the raft leader), started again after a while. */
    ETCD_MEMBER("etcd-member"),
    /** kill -9 of two of the three etcd members (the raft leader and one other): no quorum; both started again. */
    ETCD_QUORUM("etcd-quorum"),
    /** The leader's agent, PostgreSQL and PgBouncer cut off from etcd and from the other members, then healed. */
    PARTITION("partition"),
    /** The leader's fence thread killed inside its agent's JVM (attach API); the agent restarted once writes moved. */
    FENCE_THREAD_DEATH("fence-thread-death"),
    /** Every etcd call of every agent ~0.8 s slower (proxies between the agents and etcd) for 3 × ttl. */
    SLOW_ETCD("slow-etcd");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static FaultKind of(String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + label + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(FaultKind::label).toList())));
    }
}
