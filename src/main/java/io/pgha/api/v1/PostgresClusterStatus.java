package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed; written only by the operator, patched only when it changed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresClusterStatus {
    public Long observedGeneration;
    public Phase phase;
    /** Why the cluster is in its phase, one CamelCase word (InvalidSpec, WaitingForMembers…). */
    public String reason;
    public String message;
    public String primary;
    public Long timeline;
    @StatusReplicas
    public Integer instances;
    public Integer readyInstances;
    /** The member pods' label selector, for the scale subresource (kubectl scale, autoscalers). */
    @LabelSelector
    public String selector;
    public List<MemberStatus> members = new ArrayList<>();
    public List<Condition> conditions = new ArrayList<>();

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PostgresClusterStatus s)) {
            return false;
        }
        return Objects.equals(observedGeneration, s.observedGeneration) && phase == s.phase
                && Objects.equals(reason, s.reason) && Objects.equals(message, s.message)
                && Objects.equals(primary, s.primary) && Objects.equals(timeline, s.timeline)
                && Objects.equals(instances, s.instances) && Objects.equals(readyInstances, s.readyInstances)
                && Objects.equals(selector, s.selector) && Objects.equals(members, s.members)
                && Objects.equals(conditions, s.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, phase, reason, primary, readyInstances);
    }
}
