package io.pgha.operator;

import io.pgha.operator.reconciler.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.pgha.operator.dependent.ReplaceWriter;
import io.pgha.operator.dependent.ResourceWriter;
import io.pgha.operator.dependent.ServerSideApplyWriter;
import io.pgha.operator.reconciler.AgentClient;
import io.pgha.operator.reconciler.PostgresClusterReconciler;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the operator: JOSDK with the PostgresCluster reconciler, leader election (two replicas, one active),
 * and the health endpoints. Everything comes in through {@link Options}; only cli/ reads the environment.
 */
public final class OperatorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorRunner.class);

    /**
     * @param namespaces     the namespaces to watch; empty for all
     * @param serverSideApply false only against API servers without it (fabric8's mock server)
     * @param leaseNamespace where the leader-election Lease lives; null disables leader election
     */
    public record Options(Set<String> namespaces, boolean serverSideApply, String leaseNamespace) {}

    public static final String LEASE_NAME = "pgha-operator-leader";

    private final KubernetesClient client;
    private final Options options;
    private final AgentClient agents;

    private final OperatorMetrics metrics = new OperatorMetrics();

    public OperatorRunner(KubernetesClient client, Options options, AgentClient agents) {
        this.client = client;
        this.options = options;
        this.agents = agents;
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    public Operator start() {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(options.serverSideApply())
                    .withSSABasedCreateUpdateMatchForDependentResources(options.serverSideApply());
            if (options.leaseNamespace() != null) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, options.leaseNamespace()));
            }
        });
        ResourceWriter writer = options.serverSideApply() ? new ServerSideApplyWriter() : new ReplaceWriter();
        operator.register(new PostgresClusterReconciler(writer, agents, Clock.systemUTC(), metrics), c -> {
            if (options.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(options.namespaces());
            }
        });
        operator.start();
        LOG.info("pgha operator started, watching {}", options.namespaces().isEmpty() ? "all namespaces" : options.namespaces());
        return operator;
    }
}
