package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.pgha.operator.model.ClusterModel;

/**
 * One voluntary disruption at a time per component: a node drain never takes two members (or two etcd peers,
 * which would cost a 3-peer etcd its quorum) at once.
 */
public final class DisruptionBudgets {

    private DisruptionBudgets() {}

    public static PodDisruptionBudget members(ClusterModel m) {
        return build(m, m.names().members(), Labels.DATABASE);
    }

    public static PodDisruptionBudget etcd(ClusterModel m) {
        return build(m, m.names().etcd(), Labels.ETCD);
    }

    public static PodDisruptionBudget haproxy(ClusterModel m) {
        return build(m, m.names().haproxy(), Labels.HAPROXY);
    }

    private static PodDisruptionBudget build(ClusterModel m, String name, String component) {
        return new PodDisruptionBudgetBuilder().withMetadata(Metadata.of(m, name, component))
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(Labels.selector(m, component)).endSelector()
                .endSpec().build();
    }
}
