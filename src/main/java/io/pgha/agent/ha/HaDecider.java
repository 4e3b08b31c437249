package io.pgha.agent.ha;

import io.pgha.contract.Cluster;
import io.pgha.contract.Member;

/**
 * The HA decision table (patroni-compat.md §3.3): a pure function of the DCS view, the local PostgreSQL
 * state and the settings. Rows are checked top to bottom; the first that matches decides. The safety rule
 * behind every row: PostgreSQL runs as a writable primary only while this member holds a lock it renewed in
 * this very cycle; everything else demotes or stays read-only.
 */
public final class HaDecider {

    private HaDecider() {}

    public static Decision decide(HaInput in) {
        if (in.safetyFault() != null) {
            return SafetyFaultRule.decide(in);
        }
        return decideHealthy(in);
    }

    /** The table proper, for a member whose fence and watchdog work. */
    static Decision decideHealthy(HaInput in) {
        Cluster c = in.cluster();
        LocalState l = in.local();
        String me = in.settings().me();

        if (c == null) {
            if (in.lastKnownPaused()) {
                return Decision.of(Action.NONE, "paused: DCS is not accessible, leaving PostgreSQL as it is");
            }
            if (l.isRunningPrimary() && in.settings().failsafeMode() && in.failsafeConfirmed()) {
                return Decision.of(Action.NONE, "DCS is not accessible: continue to run as a leader because failsafe mode is"
                        + " enabled and all members are accessible");
            }
            if (l.isRunningPrimary() && in.leaseSlackMillis() > 0) {
                return Decision.of(Action.NONE, "DCS is not accessible: the leader lease still lasts more than a cycle,"
                        + " PostgreSQL stays up (the fence stops it before the lease can end)");
            }
            return l.isRunningPrimary()
                    ? Decision.of(Action.DEMOTE, "DCS is not accessible: demoting so that no other member's primary can overlap")
                    : Decision.of(Action.NONE, "DCS is not accessible");
        }
        boolean iHoldLock = c.hasLeader(me);
        Cluster.Leader leader = c.leader();
        boolean paused = c.paused();

        if (l.dataDirEmpty()) {
            return emptyDataDir(c, in.settings(), iHoldLock, paused);
        }
        if (c.initialize() != null && !c.initialize().isEmpty() && l.sysid() != null && !c.initialize().equals(l.sysid())) {
            return paused ? Decision.of(Action.NONE, "paused: system identifier " + l.sysid() + " differs from the cluster's " + c.initialize())
                    : Decision.of(Action.FATAL, "system identifier " + l.sysid() + " differs from the cluster's "
                    + c.initialize() + ": this data directory belongs to another cluster");
        }
        if (!l.running() && !l.starting()) {
            return notRunning(c, l, iHoldLock, in.lockRenewed(), paused);
        }
        if (l.starting()) {
            if (iHoldLock && !in.lockRenewed() && l.wasPrimary() && !paused) {
                return Decision.of(Action.DEMOTE, "failed to renew the leader lock while PostgreSQL starts as primary");
            }
            return Decision.of(Action.NONE, "PostgreSQL is starting");
        }
        if (iHoldLock) {
            return holdingLock(in, l, in.lockRenewed(), paused);
        }
        if (leader != null) {
            return followLeader(l, c.leaderMember(), leader.name(), paused);
        }
        return unlocked(in, c, l, paused);
    }

    private static Decision emptyDataDir(Cluster c, HaSettings s, boolean iHoldLock, boolean paused) {
        if (iHoldLock) {
            return Decision.of(Action.RELEASE_LOCK, "data directory is empty while holding the leader lock");
        }
        if (c.leader() != null) {
            Member source = cloneSource(c, s.me());
            return Decision.of(Action.CLONE, source.name(), "creating a replica from " + source.name());
        }
        if (paused) {
            return Decision.of(Action.NONE, "paused: not bootstrapping");
        }
        if (c.initialize() == null) {
            return s.nofailover() ? Decision.of(Action.NONE, "waiting for a leader to bootstrap (tagged nofailover)")
                    : Decision.of(Action.BOOTSTRAP, "no cluster yet: racing to bootstrap it");
        }
        return Decision.of(Action.NONE, "waiting for the leader to bootstrap");
    }

    /** A running member tagged clonefrom is preferred to the leader, so a clone does not load the primary. */
    private static Member cloneSource(Cluster c, String me) {
        return c.members().values().stream()
                .filter(m -> !m.name().equals(me) && m.tag("clonefrom") && m.isRunning() && m.connUrl() != null)
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .findFirst()
                .orElseGet(() -> {
                    Member lm = c.leaderMember();
                    return lm != null ? lm : new Member(c.leader().name(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), 0);
                });
    }

    private static Decision notRunning(Cluster c, LocalState l, boolean iHoldLock, boolean renewed, boolean paused) {
        if (paused) {
            return iHoldLock ? Decision.of(Action.RELEASE_LOCK, "paused: PostgreSQL is not running, releasing the leader lock")
                    : Decision.of(Action.NONE, "paused: PostgreSQL is not running");
        }
        if (iHoldLock) {
            if (l.startFailed()) {
                return Decision.of(Action.RELEASE_LOCK, "removed leader key after trying and failing to start PostgreSQL");
            }
            if (!renewed) {
                return Decision.of(Action.NONE, "could not renew the leader lock: not starting PostgreSQL as primary");
            }
            return l.wasPrimary() ? Decision.of(Action.START_PRIMARY, "starting primary after failure: we still hold the leader lock")
                    : Decision.of(Action.START_REPLICA, null, "holding the lock with a standby data directory: starting to promote it");
        }
        if (c.leader() != null) {
            String leader = c.leader().name();
            Member lm = c.leaderMember();
            boolean leaderAhead = lm != null && "master".equals(lm.role()) && lm.timeline() > l.timeline();
            if (!l.wasPrimary()) {
                // a standby that cannot start against a leader on a newer timeline forked off before its position
                return l.startFailed() && leaderAhead && l.timeline() > 0
                        ? Decision.of(Action.REWIND, leader, "replica failed to start against " + leader + " on timeline "
                                + lm.timeline() + ": rewinding")
                        : Decision.of(Action.START_REPLICA, leader, "starting as a replica of " + leader);
            }
            // pg_rewind compares timelines: it must see the new leader's promotion checkpoint, which our
            // leader publishes (role master, new timeline) only after that checkpoint is done.
            if (!leaderAhead) {
                return Decision.of(Action.NONE, "former primary waits for leader " + leader + " to finish its promotion");
            }
            long forkedAt = switchPoint(c.history(), l.timeline());
            if (l.cleanShutdownCheckpoint() > 0 && forkedAt > l.cleanShutdownCheckpoint()) {
                // the shutdown checkpoint is the last record we wrote; a fork after its start is after its end, so
                // the new timeline holds everything we have: streaming from it needs no rewind
                return Decision.of(Action.START_REPLICA, leader, "former primary stopped cleanly and " + leader
                        + "'s timeline forked after its shutdown checkpoint: following without pg_rewind");
            }
            return Decision.of(Action.REWIND, leader, "former primary must follow " + leader + ": rewinding first");
        }
        return Decision.of(Action.START_REPLICA, null, "no leader: starting read-only to take part in the election");
    }

    private static Decision holdingLock(HaInput in, LocalState l, boolean renewed, boolean paused) {
        if (!renewed) {
            if (paused) {
                return Decision.of(Action.NONE, "paused: could not renew the leader lock, leaving PostgreSQL running");
            }
            if (l.inRecovery()) {
                return Decision.of(Action.NONE, "lost the leader lock before promoting");
            }
            // etcd answers reads (a surviving member) but cannot renew (no quorum): as good as no etcd at all
            if (in.settings().failsafeMode() && in.failsafeConfirmed()) {
                return Decision.of(Action.NONE, "could not renew the leader lock: continue to run as a leader because"
                        + " failsafe mode is enabled and all members are accessible");
            }
            // an etcd election or a slow member: retry next cycle while the lease certainly outlasts it; the fence
            // (and the watchdog) stop PostgreSQL before the lease can end, whatever this loop does
            return in.leaseSlackMillis() > 0
                    ? Decision.of(Action.NONE, "could not renew the leader lock: retrying while the lease lasts")
                    : Decision.of(Action.DEMOTE, "demoting self because the leader lock could not be renewed");
        }
        if (l.inRecovery()) {
            return paused ? Decision.of(Action.RELEASE_LOCK, "paused: holding the lock but PostgreSQL is not primary")
                    : Decision.of(Action.PROMOTE, "holding the leader lock: promoting");
        }
        FailoverRequest f = FailoverRequest.from(in.cluster().failover());
        if (f != null) {
            return ManualFailover.fromLeader(in, f);
        }
        return Decision.of(Action.NONE, "I am the leader with the lock");
    }

    /** Where the cluster's history says timeline {@code tl} ended (the next one forked), in bytes; 0 when unknown. */
    static long switchPoint(com.fasterxml.jackson.databind.JsonNode history, int tl) {
        if (history == null || !history.isArray() || tl <= 0) {
            return 0;
        }
        for (com.fasterxml.jackson.databind.JsonNode row : history) {
            if (row.isArray() && row.size() >= 2 && row.get(0).asInt() == tl && row.get(1).canConvertToLong()) {
                return row.get(1).asLong();
            }
        }
        return 0;
    }

    /** A replica that cannot stream for this long from a leader on a newer timeline has diverged from it. */
    static final long DIVERGED_AFTER_MILLIS = 5000;

    private static Decision followLeader(LocalState l, Member lm, String leader, boolean paused) {
        if (!l.inRecovery()) {
            return paused ? Decision.of(Action.NONE, "paused: continue to run as primary without lock")
                    : Decision.of(Action.DEMOTE, "demoting self because " + leader + " holds the leader lock");
        }
        if (!paused && leader.equals(l.following()) && !l.streaming() && l.notStreamingMillis() >= DIVERGED_AFTER_MILLIS
                && lm != null && "master".equals(lm.role()) && lm.timeline() > l.timeline() && l.timeline() > 0) {
            return Decision.of(Action.REWIND, leader, "cannot stream from " + leader + " on timeline " + lm.timeline()
                    + " (mine is " + l.timeline() + "): rewinding");
        }
        if (!leader.equals(l.following())) {
            return Decision.of(Action.FOLLOW, leader, "following new leader " + leader);
        }
        return Decision.of(Action.NONE, "a replica following leader " + leader);
    }

    private static String me(HaInput in) {
        return in.settings().me();
    }

    private static Decision unlocked(HaInput in, Cluster c, LocalState l, boolean paused) {
        // a failsafe promise comes first, even for a manual failover's candidate: the primary that asked still runs
        // and counts on it (found by the simulation: a candidate took the lock next to a failsafe primary)
        if (in.failsafeLeader() != null && !in.failsafeLeader().equals(me(in)) && !l.isRunningPrimary()) {
            return Decision.of(Action.NONE, "failsafe: " + in.failsafeLeader() + " still runs as primary without etcd: not racing");
        }
        // nor may a candidate missing from the failsafe list race: a primary on failsafe did not ask it, so it
        // made no promise the primary's authority could count on (found by the simulation, seed 98)
        if (in.settings().failsafeMode() && c.failsafe() != null && c.failsafe().isObject() && !c.failsafe().isEmpty()
                && !c.failsafe().has(me(in)) && !l.isRunningPrimary()) {
            return Decision.of(Action.NONE, "not racing for the lock: failsafe mode is on and I am not in the failsafe list");
        }
        FailoverRequest f = FailoverRequest.from(c.failover());
        if (f != null && l.inRecovery()) {
            Decision manual = ManualFailover.withoutLeader(in, f);
            if (manual != null) {
                return manual;
            }
        }
        if (paused) {
            return l.isRunningPrimary() && (c.initialize() == null || c.initialize().isEmpty() || c.initialize().equals(l.sysid()))
                    ? Decision.of(Action.ACQUIRE_LOCK, "paused: the running primary takes the free lock")
                    : Decision.of(Action.NONE, "paused: no leader, not racing");
        }
        String why = Healthiest.check(in);
        if (why == null) {
            return Decision.of(Action.ACQUIRE_LOCK, l.isRunningPrimary() ? "running primary re-takes the free lock"
                    : "leader lock is free and I am the healthiest member: taking it");
        }
        return l.isRunningPrimary() ? Decision.of(Action.DEMOTE, "demoting self: " + why)
                : Decision.of(Action.NONE, "not racing for the lock: " + why);
    }
}
