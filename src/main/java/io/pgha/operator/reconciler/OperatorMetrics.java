package io.pgha.operator.reconciler;

import io.pgha.api.v1.Phase;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's Prometheus metrics: reconciliations (count, failures, total seconds) and clusters by phase.
 * Hand-written exposition text: four series do not justify a metrics library in every pgha process.
 */
public final class OperatorMetrics {

    private final AtomicLong reconciliations = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final Map<String, Phase> phases = new ConcurrentHashMap<>();

    /** Called after each reconciliation of namespace/name. */
    public void reconciled(String cluster, Phase phase, long durationNanos) {
        reconciliations.incrementAndGet();
        nanos.addAndGet(durationNanos);
        if (phase != null) {
            phases.put(cluster, phase);
        }
    }

    public void failed(long durationNanos) {
        reconciliations.incrementAndGet();
        failures.incrementAndGet();
        nanos.addAndGet(durationNanos);
    }

    public void deleted(String cluster) {
        phases.remove(cluster);
    }

    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP pgha_operator_reconciliations_total PostgresCluster reconciliations.\n")
                .append("# TYPE pgha_operator_reconciliations_total counter\n")
                .append("pgha_operator_reconciliations_total ").append(reconciliations.get()).append('\n')
                .append("# HELP pgha_operator_reconciliation_failures_total Reconciliations that threw.\n")
                .append("# TYPE pgha_operator_reconciliation_failures_total counter\n")
                .append("pgha_operator_reconciliation_failures_total ").append(failures.get()).append('\n')
                .append("# HELP pgha_operator_reconciliation_seconds_total Time spent reconciling.\n")
                .append("# TYPE pgha_operator_reconciliation_seconds_total counter\n")
                .append("pgha_operator_reconciliation_seconds_total ").append(nanos.get() / 1e9).append('\n')
                .append("# HELP pgha_operator_clusters PostgresClusters by phase.\n")
                .append("# TYPE pgha_operator_clusters gauge\n");
        Map<Phase, Integer> counts = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            counts.put(p, 0);
        }
        phases.values().forEach(p -> counts.merge(p, 1, Integer::sum));
        counts.forEach((p, n) -> out.append("pgha_operator_clusters{phase=\"").append(p).append("\"} ").append(n).append('\n'));
        return out.toString();
    }
}
