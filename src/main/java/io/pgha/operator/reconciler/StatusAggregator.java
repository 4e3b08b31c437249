package io.pgha.operator.reconciler;

import io.pgha.api.v1.MemberStatus;
import io.pgha.api.v1.Phase;
import io.pgha.api.v1.PostgresClusterStatus;
import io.pgha.operator.model.ClusterModel;
import io.pgha.operator.resources.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what was observed into the status, purely: same inputs, same status (including condition times), so
 * the reconciler can compare and skip the write. The phase is the one-word summary; conditions carry the
 * detail with reasons a machine can act on.
 */
final class StatusAggregator {

    private StatusAggregator() {}

    /** The spec cannot be applied (schema-invisible problem or a refused change); nothing was created or changed. */
    static PostgresClusterStatus invalid(PostgresClusterStatus previous, long generation, String reason,
                                         List<String> problems, Instant now) {
        PostgresClusterStatus s = carryFacts(previous);
        String message = String.join("; ", problems);
        s.observedGeneration = generation;
        s.phase = Phase.Invalid;
        s.reason = reason;
        s.message = message;
        s.conditions = new Conditions(previous == null ? null : previous.conditions, generation, now)
                .set(Conditions.READY, false, reason, message)
                .set(Conditions.PROGRESSING, false, reason, "nothing is changed until the spec is fixed")
                .list();
        return s;
    }

    /**
     * @param progress what the reconciler is waiting for (a switchover before scaling down, pods to roll…), or
     *                 empty when it did everything it wanted to
     */
    static PostgresClusterStatus observed(ClusterModel m, ClusterFacts f, PostgresClusterStatus previous,
                                          Optional<String> progress, Instant now) {
        PostgresClusterStatus s = new PostgresClusterStatus();
        s.observedGeneration = m.generation();
        s.instances = f.currentReplicas();
        s.readyInstances = f.readyReplicas();
        s.selector = Labels.asSelectorString(Labels.selector(m, Labels.DATABASE));
        s.members = members(f);
        var primary = f.primary();
        s.primary = primary.map(AgentClient.MemberReport::name).orElse(null);
        s.timeline = primary.map(AgentClient.MemberReport::timeline).orElse(null);

        boolean scaling = f.currentReplicas() != m.instances();
        Optional<String> progressing = progress.isPresent() ? progress
                : scaling ? Optional.of("scaling from " + f.currentReplicas() + " to " + m.instances() + " members")
                : !f.revisionCurrent() ? Optional.of("members run an older pod template") : Optional.empty();
        boolean allReady = f.readyReplicas() >= m.instances();
        boolean everRan = previous != null && previous.phase != null && previous.phase != Phase.Creating
                && previous.phase != Phase.Invalid;

        if (primary.isEmpty()) {
            s.phase = everRan ? Phase.Unavailable : Phase.Creating;
            s.reason = everRan ? "NoPrimary" : "Bootstrapping";
            s.message = f.agentsAnswered() ? "the agents report no primary" : "no agent answered yet";
        } else if (progressing.isPresent()) {
            s.phase = Phase.Updating;
            s.reason = scaling ? "Scaling" : "Updating";
            s.message = progressing.get();
        } else if (!allReady) {
            s.phase = Phase.Degraded;
            s.reason = "MembersNotReady";
            s.message = f.readyReplicas() + " of " + m.instances() + " members are ready";
        } else {
            s.phase = Phase.Running;
            s.reason = "AllMembersReady";
            s.message = "primary " + s.primary + ", " + f.readyReplicas() + " members ready";
        }
        s.conditions = new Conditions(previous == null ? null : previous.conditions, m.generation(), now)
                .set(Conditions.READY, s.phase == Phase.Running, s.reason, s.message)
                .set(Conditions.AVAILABLE, primary.isPresent(), primary.isPresent() ? "PrimaryServing" : "NoPrimary",
                        primary.map(p -> p.name() + " accepts writes").orElse("no member accepts writes"))
                .set(Conditions.PROGRESSING, progressing.isPresent(), progressing.isPresent() ? s.reason : "Stable",
                        progressing.orElse("nothing to change"))
                .set(Conditions.DEGRADED, s.phase == Phase.Degraded || s.phase == Phase.Unavailable,
                        s.phase == Phase.Degraded || s.phase == Phase.Unavailable ? s.reason : "Healthy",
                        s.phase == Phase.Degraded || s.phase == Phase.Unavailable ? s.message : "no member is missing")
                .list();
        return s;
    }

    private static List<MemberStatus> members(ClusterFacts f) {
        List<MemberStatus> out = new ArrayList<>();
        f.members().stream().sorted(java.util.Comparator.comparing(AgentClient.MemberReport::name))
                .forEach(r -> out.add(new MemberStatus(r.name(), r.role(), r.state(), r.timeline(), r.lagBytes(),
                        r.pendingRestart())));
        return out;
    }

    /** An invalid spec does not erase what was last observed about a running cluster. */
    private static PostgresClusterStatus carryFacts(PostgresClusterStatus previous) {
        PostgresClusterStatus s = new PostgresClusterStatus();
        if (previous != null) {
            s.primary = previous.primary;
            s.timeline = previous.timeline;
            s.instances = previous.instances;
            s.readyInstances = previous.readyInstances;
            s.selector = previous.selector;
            s.members = previous.members;
        }
        return s;
    }
}
