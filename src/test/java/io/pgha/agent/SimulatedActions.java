package io.pgha.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.ha.Decision;
import io.pgha.agent.ha.FailoverRequest;
import io.pgha.agent.ha.LocalState;
import io.pgha.agent.postgres.PgSnapshot;
import io.pgha.agent.postgres.SyncProbe;
import io.pgha.contract.Cluster;
import io.pgha.contract.DcsKeys;
import io.pgha.sim.Scheduler;
import io.pgha.sim.SimPostgres;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The MODELLED side of a simulated agent: LocalProbe (the probe of {@link SimPostgres}), ActionExecutor's actions
 * step by step (the lease checks and the fence's arming and disarming as the real executor does them), the
 * leader's duties (status, initialize, config, history, synchronous replication through the REAL
 * SyncReplication) and the member key (the REAL MemberData). Replication slots, provisioning, pg_ctl's
 * start-failure counting and the early key release of a switchover are left out.
 */
final class SimulatedActions {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final SimulatedAgent a;
    private final Scheduler sched;
    private final SimPostgres pg;
    private boolean promoted;
    private long lastRewindAttempt = -1;
    private long lastOptime = -1;
    private long notStreamingSince;
    private String notStreamingOf;
    private boolean switchingOver;

    SimulatedActions(SimulatedAgent a) {
        this.a = a;
        this.sched = a.sched;
        this.pg = a.pg;
    }

    // ------------------------------------------------------------------ LocalProbe

    LocalState probe() {
        if (!pg.initialized()) {
            return new LocalState(true, false, false, false, false, null, 0, 0, null, false, false, 0);
        }
        String following = pg.upstream();
        if (pg.running()) {
            String of = pg.startTime() + "|" + following;
            if (!of.equals(notStreamingOf)) {
                notStreamingOf = of;
                notStreamingSince = 0;
            }
            if (!pg.inRecovery() || pg.streaming()) {
                notStreamingSince = 0;
            } else if (notStreamingSince == 0) {
                notStreamingSince = sched.now();
            }
            long notStreaming = notStreamingSince == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(sched.now() - notStreamingSince);
            return new LocalState(false, true, false, pg.inRecovery(), !pg.standbySignal(), pg.sysid(), pg.timeline(), pg.lsn(),
                    following, false, pg.inRecovery() && pg.streaming(), notStreaming);
        }
        if (pg.pid() > 0) {
            return new LocalState(false, false, true, pg.standbySignal(), !pg.standbySignal(), null, 0, 0, following, false, false, 0);
        }
        boolean wasPrimary = pg.controlPrimary() && !pg.standbySignal();
        return new LocalState(false, false, false, false, wasPrimary, pg.sysid(), pg.timeline(), 0, following, false, false, 0,
                wasPrimary ? pg.cleanShutdownCheckpoint() : 0);
    }

    PgSnapshot snapshot() {
        return new PgSnapshot(pg.inRecovery(), pg.inRecovery() ? 0 : pg.lsn(), pg.inRecovery() ? pg.lsn() : 0, pg.inRecovery() ? pg.lsn() : 0,
                null, false, pg.timeline(), pg.startTime(), 150000, pg.streaming(), pg.sysid(),
                pg.inRecovery() ? java.util.List.of() : pg.replicationRows());
    }

    ObjectNode memberData(Cluster c, LocalState l) {
        boolean leader = c != null && c.hasLeader(a.name);
        String state = !pg.initialized() ? "stopped" : pg.running() ? "running" : pg.pid() > 0 ? "starting" : "stopped";
        String role = !pg.initialized() ? "uninitialized" : pg.running() ? (pg.inRecovery() ? "replica" : "master")
                : leader ? "master" : l.wasPrimary() ? "demoted" : "replica";
        return MemberData.build(a.s, state, role, pg.running() ? snapshot() : null, c != null && c.paused());
    }

    // ------------------------------------------------------------------ ActionExecutor.execute

    void execute(Decision d, Cluster c, LocalState l) throws DcsException {
        switch (d.action()) {
            case NONE -> { }
            case BOOTSTRAP -> bootstrap();
            case CLONE -> cloneFrom(c, d.target());
            case START_PRIMARY -> startPrimary();
            case START_REPLICA -> startReplica(c, d.target());
            case REWIND -> rewind(c, d.target());
            case FOLLOW -> {
                pg.writeConfig(upstream(c, d.target()), "", true);
                pg.reload();
            }
            case PROMOTE -> promote(c, l);
            case ACQUIRE_LOCK -> acquire(c, l);
            case DEMOTE -> demote();
            case SWITCHOVER -> switchover();
            case CLEAR_FAILOVER -> a.dcs.putIfModRevision(DcsKeys.FAILOVER, "{}", c.failoverModRevision());
            case RELEASE_LOCK -> a.dcs.releaseLeader();
            case FATAL -> throw new IllegalStateException("FATAL decision: " + d.reason());
        }
    }

    private String ssn(boolean standby) {
        Map<String, String> p = a.sync.parameters(a.dyn, standby);
        String v = p.get(SyncReplication.SSN);
        if (!standby) {
            a.sync.written(p);
        }
        return v == null ? "" : v;
    }

    private void bootstrap() throws DcsException {
        if (!a.dcs.raceInitialize()) {
            return;
        }
        pg.initdb();
        pg.writeConfig(null, ssn(false), false);
        pg.start();
        waitFor(() -> pg.running(), 30 * SECOND);
        a.dcs.put(DcsKeys.INITIALIZE, pg.sysid());
        a.dcs.putIfModRevision(DcsKeys.CONFIG, a.world.settings.configJson(), 0);
        a.dcs.put(DcsKeys.HISTORY, "[]");
        if (!a.dcs.acquireLeader()) {
            throw new IllegalStateException("could not take the leader key after bootstrap");
        }
        a.fence.primaryActive(true);
    }

    private void cloneFrom(Cluster c, String source) throws DcsException {
        if (c.members().get(source) == null || c.members().get(source).connUrl() == null) {
            return;
        }
        boolean ok = during(() -> pg.copyFrom(source, false));
        if (ok) {
            String leader = c.leader() != null ? c.leader().name() : source;
            pg.writeConfig(upstream(c, leader), "", true);
            pg.start();
        }
    }

    private String upstream(Cluster c, String leader) {
        return leader == null || c == null || c.members().get(leader) == null ? null : leader;
    }

    private void startPrimary() {
        if (pg.phase() == SimPostgres.Phase.STARTING || !a.fence.leaseValidFor(SECOND)) {
            return;
        }
        pg.writeConfig(null, ssn(false), false);
        a.fence.primaryActive(true);
        pg.start();
    }

    private void startReplica(Cluster c, String leader) {
        if (pg.phase() == SimPostgres.Phase.STARTING) {
            return;
        }
        pg.writeConfig(upstream(c, leader), ssn(true), true);
        a.fence.primaryActive(false);
        pg.start();
    }

    private void rewind(Cluster c, String leader) {
        if (lastRewindAttempt >= 0 && sched.now() - lastRewindAttempt < 10 * SECOND) {
            return;
        }
        lastRewindAttempt = sched.now();
        if (upstream(c, leader) == null) {
            return;
        }
        if (pg.pid() > 0) {
            pg.stopFast();
            if (!waitFor(() -> pg.pid() < 0, 60 * SECOND)) {
                return;
            }
        }
        if (!during(() -> pg.copyFrom(leader, true))) {
            return; // could not connect: try again later
        }
        lastRewindAttempt = -1;
        pg.writeConfig(leader, "", true);
        pg.start();
    }

    private void acquire(Cluster c, LocalState l) throws DcsException {
        long syncVersion = !a.dyn.sync().mode() || a.world.settings.acquireIgnoresSyncKey() ? -1
                : c.sync() == null ? 0 : c.syncModRevision();
        if (!a.dcs.acquireLeader(syncVersion)) {
            return;
        }
        if (l.inRecovery()) {
            promote(c, l);
        } else {
            a.fence.primaryActive(true);
        }
        if (FailoverRequest.from(c.failover()) != null) {
            a.dcs.putIfModRevision(DcsKeys.FAILOVER, "{}", c.failoverModRevision());
        }
    }

    private void promote(Cluster c, LocalState l) throws DcsException {
        if (!a.fence.leaseValidFor(SECOND)) {
            return;
        }
        if (a.dyn.sync().mode()) {
            if (!a.sync.beforePromote(c, a.dyn)) {
                return;
            }
            pg.writeConfig(l.following(), ssn(false), true);
            pg.reload();
        }
        a.fence.primaryActive(true);
        pg.promote();
        long deadline = sched.now() + 60 * SECOND;
        while (pg.running() && pg.inRecovery() && sched.now() < deadline) {
            renew();
            sched.advance(TimeUnit.MILLISECONDS.toNanos(5));
            a.waitWhileFrozen();
        }
        promoted = !pg.inRecovery();
    }

    boolean takePromoted() {
        boolean p = promoted;
        promoted = false;
        return p;
    }

    /** LeaderDuties.afterPromote: the CHECKPOINT pg_rewind needs (immediate; the lease kept alive), history, status. */
    void afterPromote(Cluster c) throws DcsException {
        long took = TimeUnit.MILLISECONDS.toNanos(100 + sched.random().nextInt(900));
        pg.checkpoint(took);
        during(() -> {
            sched.advance(took);
            return null;
        });
        writeHistory();
        publishStatus();
    }

    private void demote() {
        a.sync.demoted();
        if (!pg.quit()) {
            pg.kill();
        }
        waitFor(() -> pg.pid() < 0, 10 * SECOND);
        if (pg.pid() > 0) {
            pg.kill();
        }
        if (pg.pid() < 0) {
            a.fence.primaryActive(false);
        }
    }

    private void switchover() throws DcsException {
        long took = TimeUnit.MILLISECONDS.toNanos(20 + sched.random().nextInt(200));
        pg.checkpoint(took);
        during(() -> {
            sched.advance(took);
            return null;
        });
        switchingOver = true;
        try {
            pg.stopFast();
            during(() -> waitFor(() -> pg.pid() < 0, 60 * SECOND));
            if (pg.pid() > 0) {
                pg.kill();
            }
            a.fence.primaryActive(false);
            a.dcs.releaseLeader();
        } finally {
            switchingOver = false;
        }
    }

    /** ActionExecutor.restart (POST /restart): the lease checks before the stop and before a start as primary. */
    boolean restart(Cluster c) {
        boolean primary = c != null && c.hasLeader(a.name) && !probe().inRecovery();
        if (primary && !a.fence.leaseValidFor(SECOND)) {
            sched.note(a.name + ": restart refused: the leader lease is not certainly ours");
            return false;
        }
        pg.stopFast();
        if (!waitFor(() -> pg.pid() < 0, 60 * SECOND)) {
            return false;
        }
        if (primary && !a.fence.leaseValidFor(SECOND)) {
            return false;
        }
        pg.writeConfig(primary ? null : pg.upstream(), ssn(!primary), !primary);
        a.fence.primaryActive(primary);
        pg.start();
        sched.note(a.name + ": REST restart starts PostgreSQL as " + (primary ? "primary" : "replica"));
        return true;
    }

    // ------------------------------------------------------------------ LeaderDuties.everyCycle (no slots)

    void leaderDuties(Cluster c) throws DcsException {
        if (c.initialize() == null || c.initialize().isEmpty()) {
            a.dcs.put(DcsKeys.INITIALIZE, pg.sysid());
        }
        if (c.config() == null) {
            a.dcs.putIfModRevision(DcsKeys.CONFIG, a.world.settings.configJson(), 0);
        }
        publishStatus();
        int tl = pg.timeline();
        com.fasterxml.jackson.databind.JsonNode h = c.history();
        boolean stale = tl <= 1 ? h == null : h == null || !h.isArray() || h.isEmpty()
                || h.get(h.size() - 1).get(0).asInt() != tl - 1;
        if (stale) {
            writeHistory();
        }
        try {
            if (a.sync.everyCycle(c, snapshot(), a.dyn, syncProbe())) {
                pg.writeConfig(null, ssn(false), false);
                pg.reload();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private SyncProbe syncProbe() {
        return new SyncProbe() {
            @Override
            public String checkpointerWaitEvent() {
                return pg.checkpointerWaitEvent();
            }

            @Override
            public long currentFlushLsn() {
                return pg.lsn();
            }
        };
    }

    private void publishStatus() throws DcsException {
        if (pg.lsn() != lastOptime) {
            a.dcs.put(DcsKeys.STATUS, "{\"optime\":" + pg.lsn() + "}");
            lastOptime = pg.lsn();
        }
    }

    private void writeHistory() throws DcsException {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (long[] r : pg.history()) {
            rows.addArray().add(r[0]).add(r[1]).add("no recovery target specified").add("2027-01-01T00:00:00.000000+00:00").add(a.name);
        }
        a.dcs.put(DcsKeys.HISTORY, rows.toString());
    }

    // ------------------------------------------------------------------ waiting on virtual time

    /** A step that can outlast a renewal period: LeaseKeeper renews the lease every 250 ms meanwhile. */
    private <T> T during(java.util.function.Supplier<T> step) {
        boolean[] done = {false};
        long every = TimeUnit.MILLISECONDS.toNanos(250);
        Runnable[] keeper = new Runnable[1];
        keeper[0] = () -> {
            if (done[0] || a.killed()) {
                return;
            }
            if (!a.frozen()) {
                try {
                    renew();
                } catch (SimulatedAgent.Killed k) {
                    return;
                }
            }
            sched.after(every, null, keeper[0]);
        };
        sched.after(every, null, keeper[0]);
        try {
            return step.get();
        } finally {
            done[0] = true;
            a.waitWhileFrozen();
        }
    }

    private void renew() {
        try {
            a.dcs.ensureLease(java.time.Duration.ofMillis(500));
        } catch (DcsException e) {
            sched.note(a.name + ": could not renew the lease during a step: " + e.getMessage());
        }
    }

    private boolean waitFor(java.util.function.BooleanSupplier done, long max) {
        long deadline = sched.now() + max;
        while (!done.getAsBoolean() && sched.now() < deadline) {
            sched.advance(TimeUnit.MILLISECONDS.toNanos(20));
            a.waitWhileFrozen();
        }
        return done.getAsBoolean();
    }

    boolean switchingOver() {
        return switchingOver;
    }
}
