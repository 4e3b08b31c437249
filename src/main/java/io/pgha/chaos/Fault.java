package io.pgha.chaos;

/** One kind of fault: breaks something of the cluster, and repairs it where the cluster cannot by itself. */
interface Fault {

    /**
     * What a fault did.
     *
     * @param victim     what was hit (a member, or etcd members)
     * @param faultUs    when the fault took effect ({@link MicroClock})
     * @param faultEndUs when the harness's part ended: restart begun, partition healed, SIGCONT sent; for a
     *                   fault the cluster repairs alone, the same as faultUs
     * @param notes      one line for the results: pids hit, how the repair went
     */
    record Injected(String victim, long faultUs, long faultEndUs, String notes) {}

    /** Injects the fault against the cluster whose leader is {@code leader}; returns once the harness's part is done. */
    Injected inject(FaultContext ctx, String leader);
}
