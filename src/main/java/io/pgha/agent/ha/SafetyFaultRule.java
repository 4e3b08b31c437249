package io.pgha.agent.ha;

import io.pgha.contract.Cluster;
import java.util.Set;

/**
 * Rows 0a-0d of the decision table (docs/ha-protocol.md §3c): a member whose fence thread or external watchdog
 * cannot be trusted must not be a primary, since nothing would stop it once its lease ends. It stops a primary
 * PostgreSQL, gives the leader key back once PostgreSQL is down, and never races for the key; as a standby it
 * goes on following (the rest of the table decides that, as for a member tagged nofailover). Pause does not
 * change this: maintenance mode suspends automatic failover, not the fence.
 */
final class SafetyFaultRule {
    /** What a member without a working fence may still do: nothing that makes it, or keeps it, a primary. */
    private static final Set<Action> ALLOWED = Set.of(Action.NONE, Action.CLONE, Action.START_REPLICA, Action.REWIND,
            Action.FOLLOW, Action.DEMOTE, Action.CLEAR_FAILOVER, Action.RELEASE_LOCK, Action.FATAL);

    private SafetyFaultRule() {}

    static Decision decide(HaInput in) {
        String why = "safety fault (" + in.safetyFault() + ")";
        Cluster c = in.cluster();
        LocalState l = in.local();
        boolean primaryLike = l.isRunningPrimary() || (l.starting() && l.wasPrimary());
        if (primaryLike) {
            return Decision.of(Action.DEMOTE, why + ": stopping PostgreSQL, this member must not run as primary");
        }
        if (c != null && c.hasLeader(in.settings().me())) {
            return Decision.of(Action.RELEASE_LOCK, why + ": giving up the leader lock");
        }
        HaSettings s = in.settings();
        HaSettings noFailover = new HaSettings(s.me(), true, s.maximumLagOnFailover(), s.checkTimeline(), s.usePgRewind(),
                s.loopWaitMillis(), s.synchronousMode(), s.failsafeMode());
        Decision d = HaDecider.decideHealthy(new HaInput(c, l, noFailover, in.lockRenewed(), in.peers(), in.nowMillis(),
                in.lastKnownPaused(), false, in.failsafeLeader(), 0));
        if (!ALLOWED.contains(d.action())) {
            return Decision.of(Action.NONE, why + ": not taking " + d.action() + " (" + d.reason() + ")");
        }
        return d;
    }
}
