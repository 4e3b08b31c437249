package io.pgha.operator.reconciler;

import java.util.List;
import java.util.Optional;

/**
 * What the operator observed in one reconciliation: the member StatefulSet's pod counts and the agents'
 * report. Collected once, before anything is changed, so every step decides on the same view.
 *
 * @param members        the agents' report, empty when no agent answered
 * @param currentReplicas the member StatefulSet's spec.replicas, 0 when it does not exist yet
 */
public record ClusterFacts(int currentReplicas, int readyReplicas, int updatedReplicas, boolean revisionCurrent,
                           List<AgentClient.MemberReport> members) {

    public static final ClusterFacts NONE = new ClusterFacts(0, 0, 0, true, List.of());

    public Optional<AgentClient.MemberReport> primary() {
        return members.stream().filter(AgentClient.MemberReport::isPrimary).findFirst();
    }

    public boolean agentsAnswered() {
        return !members.isEmpty();
    }
}
