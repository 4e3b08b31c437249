package io.pgha.operator.reconciler;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The next step of rolling a new pod template through the members (the StatefulSet updates OnDelete, so the
 * operator picks the order): outdated standbys first, highest ordinal first, one at a time, each only while
 * every member is ready and streaming; then a switchover to an up-to-date standby; then the old primary,
 * which by then is an outdated standby like the others. A pure function of what the operator observed.
 */
public final class RollingUpdatePlanner {

    private RollingUpdatePlanner() {}

    /**
     * One member pod as the operator sees it.
     *
     * @param current the pod runs the StatefulSet's update revision
     */
    public record PodView(String name, int ordinal, boolean current, boolean ready) {}

    /** What to do now. */
    public sealed interface Step permits Done, Wait, DeletePod, Switchover {}

    /** Every pod runs the current template. */
    public record Done() implements Step {}

    public record Wait(String reason) implements Step {}

    /** Delete the pod; the StatefulSet controller recreates it from the new template. */
    public record DeletePod(String pod, String reason) implements Step {}

    /** Ask the leader's agent to hand over to {@code candidate} (POST /switchover). */
    public record Switchover(String leader, String candidate) implements Step {}

    /**
     * @param members    the agents' report (member name = pod name); empty when no agent answered
     * @param maxLagBytes a switchover candidate may lag at most this much (maximum_lag_on_failover)
     */
    public static Step next(List<PodView> pods, List<AgentClient.MemberReport> members, long maxLagBytes) {
        if (pods.stream().allMatch(PodView::current)) {
            return new Done();
        }
        Optional<PodView> notReady = pods.stream().filter(p -> !p.ready()).findFirst();
        if (notReady.isPresent()) {
            return new Wait("pod " + notReady.get().name() + " is not ready");
        }
        if (members.isEmpty()) {
            return new Wait("no agent answered");
        }
        Optional<AgentClient.MemberReport> primary = members.stream().filter(AgentClient.MemberReport::isPrimary).findFirst();
        if (primary.isEmpty()) {
            return new Wait("the cluster has no primary");
        }
        for (PodView p : pods) {
            Optional<AgentClient.MemberReport> m = report(members, p.name());
            if (m.isEmpty()) {
                return new Wait("member " + p.name() + " is not in the agents' report");
            }
            if (!m.get().isPrimary() && !m.get().isHealthyStandby()) {
                return new Wait("member " + p.name() + " is not streaming (" + m.get().state() + ")");
            }
        }
        String leader = primary.get().name();
        Optional<PodView> outdatedStandby = pods.stream().filter(p -> !p.current() && !p.name().equals(leader))
                .max(Comparator.comparingInt(PodView::ordinal));
        if (outdatedStandby.isPresent()) {
            return new DeletePod(outdatedStandby.get().name(), "standby runs an old template");
        }
        // only the primary is outdated
        if (pods.size() == 1) {
            return new DeletePod(leader, "single member: restarting it with the new template (no standby to switch over to)");
        }
        Optional<AgentClient.MemberReport> candidate = pods.stream().filter(PodView::current)
                .map(p -> report(members, p.name())).flatMap(Optional::stream)
                .filter(AgentClient.MemberReport::isHealthyStandby)
                .filter(m -> m.lagBytes() <= maxLagBytes)
                .min(Comparator.comparingLong(AgentClient.MemberReport::lagBytes).thenComparing(AgentClient.MemberReport::name));
        if (candidate.isEmpty()) {
            return new Wait("no up-to-date standby within " + maxLagBytes + " bytes of the primary to switch over to");
        }
        return new Switchover(leader, candidate.get().name());
    }

    private static Optional<AgentClient.MemberReport> report(List<AgentClient.MemberReport> members, String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
