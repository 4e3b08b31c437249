package io.pgha.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads the facts: pod counts from the StatefulSet, member roles and lag from the agents (never guessed). */
final class ClusterObserver {

    private final AgentClient agents;

    ClusterObserver(AgentClient agents) {
        this.agents = agents;
    }

    ClusterFacts observe(ClusterModel m, StatefulSet members) {
        if (members == null) {
            return ClusterFacts.NONE;
        }
        int replicas = Objects.requireNonNullElse(members.getSpec().getReplicas(), 0);
        StatefulSetStatus s = members.getStatus() == null ? new StatefulSetStatus() : members.getStatus();
        boolean revisionCurrent = s.getUpdateRevision() == null || s.getUpdateRevision().equals(s.getCurrentRevision());
        return new ClusterFacts(replicas, Objects.requireNonNullElse(s.getReadyReplicas(), 0),
                Objects.requireNonNullElse(s.getUpdatedReplicas(), 0), revisionCurrent, report(m, replicas));
    }

    /** Any one agent knows the whole cluster (from etcd); ask them in turn until one answers. */
    private List<AgentClient.MemberReport> report(ClusterModel m, int replicas) {
        for (int i = 0; i < replicas; i++) {
            Optional<List<AgentClient.MemberReport>> r = agents.cluster(m.names().memberHost(i), PodContract.REST_PORT);
            if (r.isPresent()) {
                return r.get();
            }
        }
        return List.of();
    }
}
