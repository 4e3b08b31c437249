package io.pgha.agent.ha;

import io.pgha.contract.Cluster;
import io.pgha.contract.Member;

/**
 * The rows of the decision table that a pending {@link FailoverRequest} adds (patroni-compat.md §3.3
 * "failover key set", §3.5): what the leader does with it, and who may race for the lock it frees.
 */
final class ManualFailover {

    private ManualFailover() {}

    /**
     * The leader, holding a freshly renewed lock on a running primary, with a request pending. Returns null
     * when the request does not concern this cycle (a schedule still ahead is a NONE decision, not null).
     */
    static Decision fromLeader(HaInput in, FailoverRequest f) {
        String me = in.settings().me();
        long loopWait = in.settings().loopWaitMillis();
        if (f.scheduledAt() != null) {
            if (f.scheduledAt() - in.nowMillis() > loopWait) {
                return Decision.of(Action.NONE, "I am the leader with the lock; switchover scheduled at " + f.scheduledAt());
            }
            if (in.nowMillis() - f.scheduledAt() > loopWait * 3 / 2) {
                return Decision.of(Action.CLEAR_FAILOVER, "scheduled switchover was missed by more than 1.5 x loop_wait: cancelled");
            }
        }
        if (f.leader() != null && !f.leader().equals(me)) {
            return Decision.of(Action.CLEAR_FAILOVER, "switchover from " + f.leader() + " requested, but I am the leader: cancelled");
        }
        if (me.equals(f.candidate())) {
            return Decision.of(Action.CLEAR_FAILOVER, "switchover to myself requested: nothing to do");
        }
        String why = whyNotPossible(in, f.candidate());
        if (why != null) {
            return Decision.of(Action.CLEAR_FAILOVER, "manual failover is not possible: " + why);
        }
        return Decision.of(Action.SWITCHOVER, f.candidate(), f.candidate() == null
                ? "manual failover: demoting to let the healthiest standby take over"
                : "manual failover: demoting in favour of " + f.candidate());
    }

    /**
     * Patroni's is_failover_possible: some other member (the candidate, if one is named) answered, may fail
     * over, is within maximum_lag_on_failover of my position and on the cluster's timeline.
     */
    static String whyNotPossible(HaInput in, String candidate) {
        Cluster c = in.cluster();
        if (candidate != null && !c.members().containsKey(candidate)) {
            return "candidate " + candidate + " is not a member";
        }
        String last = candidate == null ? "no other member can take over" : null;
        SyncKey sync = SyncKey.active(c, in.settings().synchronousMode());
        for (Member m : c.members().values()) {
            if (m.name().equals(in.settings().me()) || (candidate != null && !candidate.equals(m.name()))) {
                continue;
            }
            Peer p = in.peers().get(m.name());
            if (sync != null && !sync.eligible(m.name())) {
                last = m.name() + " is not a synchronous standby";
            } else if (m.tag("nofailover") || (p != null && p.nofailover())) {
                last = m.name() + " is tagged nofailover";
            } else if (p == null || !p.reachable()) {
                last = m.name() + " did not answer";
            } else if (p.isPrimary()) {
                last = m.name() + " is not a standby";
            } else if (in.local().walPosition() - p.walPosition() > in.settings().maximumLagOnFailover()) {
                last = m.name() + " lags " + (in.local().walPosition() - p.walPosition()) + " bytes behind";
            } else if (in.settings().checkTimeline() && p.timeline() > 0 && p.timeline() < in.local().timeline()) {
                last = m.name() + " is on timeline " + p.timeline() + ", behind mine " + in.local().timeline();
            } else {
                return null;
            }
        }
        return last;
    }

    /**
     * A running replica, the lock free, a request pending (§3.5). Returns the decision, or null to fall
     * through to the ordinary election (with {@code exclude} left out of the comparison).
     */
    static Decision withoutLeader(HaInput in, FailoverRequest f) {
        String me = in.settings().me();
        SyncKey sync = SyncKey.active(in.cluster(), in.settings().synchronousMode());
        if (me.equals(f.candidate())) {
            if (f.leader() != null && sync != null && !sync.eligible(me)) {
                // a switchover its leader would have refused (row 27d) does not become a failover to an async
                // standby because that leader died first: it could lose acknowledged commits (found by the
                // simulation, RandomSchedule seed 939); a failover naming me (no leader) still may, as documented
                return null;
            }
            return Decision.of(Action.ACQUIRE_LOCK, "manual failover: I am the candidate, taking the lock");
        }
        if (in.cluster().paused()) {
            return Decision.of(Action.NONE, "paused: only the candidate of the manual failover may take the lock");
        }
        if (sync != null && !sync.eligible(me)) {
            return Decision.of(Action.NONE, "synchronous mode: not a synchronous standby, staying out of the manual failover");
        }
        if (f.candidate() != null) {
            Peer cand = in.peers().get(f.candidate());
            Member m = in.cluster().members().get(f.candidate());
            boolean candidateMayTakeIt = f.leader() == null || sync == null || sync.eligible(f.candidate());
            if (cand != null && cand.reachable() && !cand.nofailover() && m != null && !m.tag("nofailover") && candidateMayTakeIt) {
                return Decision.of(Action.NONE, "manual failover: waiting for " + f.candidate() + " to take the lock");
            }
        }
        if (me.equals(f.leader())) {
            for (Peer p : in.peers().values()) {
                // in synchronous mode only the sync key's members may take over: yielding to any other standby
                // left the lock free for good (found by the simulation: a switchover without candidate whose
                // leader had stopped, with no standby in the sync key)
                if (!p.name().equals(me) && p.reachable() && !p.nofailover() && !p.isPrimary()
                        && (sync == null || sync.eligible(p.name()))) {
                    return Decision.of(Action.NONE, "manual failover away from me: " + p.name() + " may take the lock");
                }
            }
            return Decision.of(Action.ACQUIRE_LOCK, "manual failover away from me failed: no other member can take over");
        }
        return null;
    }
}
