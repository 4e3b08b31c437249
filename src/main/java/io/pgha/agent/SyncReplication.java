package io.pgha.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.Dcs;
import io.pgha.agent.ha.SyncKey;
import io.pgha.agent.ha.SsnApplied;
import io.pgha.agent.ha.SyncPlanner;
import io.pgha.agent.postgres.SyncProbe;
import io.pgha.agent.postgres.PgSnapshot;
import io.pgha.agent.postgres.Postgres;
import java.util.function.LongSupplier;
import io.pgha.contract.Cluster;
import io.pgha.contract.DcsKeys;
import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns synchronous_standby_names (SSN) while synchronous mode is on and keeps the {@code sync} key in step with
 * it, one {@link SyncPlanner} step per leader cycle. Also the two moments outside the leader's cycle: before a
 * promotion (the new leader claims the key with no standby and starts with SSN "*" or "") and on demotion.
 */
final class SyncReplication {
    private static final Logger LOG = LoggerFactory.getLogger(SyncReplication.class);
    static final String SSN = "synchronous_standby_names";

    private final String me;
    private final Dcs dcs;
    private final String log;
    private final LongSupplier clock;
    /** The SSN PostgreSQL runs with while we manage it; null when synchronous mode is off (the user's value). */
    private volatile String ssn;
    /** Per standby PostgreSQL reports as sync: our flush LSN when that was first seen (reset when it is not). */
    private final Map<String, Long> caughtUpFrom = new HashMap<>();
    /** The postmaster start last seen, and when (System.nanoTime) we first saw it. */
    private String primaryStart;
    private long primaryStartSeenNanos;
    /** How long after our PostgreSQL (re)started its standbys may take to reconnect before they leave the key. */
    static final long RECONNECT_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    SyncReplication(String me, Dcs dcs, Postgres pg, String logPrefix) {
        // an agent restarted under a running primary keeps what that primary waits for
        this(me, dcs, pg.writtenParameter(SSN), logPrefix, System::nanoTime);
    }

    /** @param writtenSsn the SSN our postgresql.conf sets now (null: none) */
    SyncReplication(String me, Dcs dcs, String writtenSsn, String logPrefix, LongSupplier clock) {
        this.me = me;
        this.dcs = dcs;
        this.log = logPrefix;
        this.clock = clock;
        this.ssn = writtenSsn;
        this.ssnWrittenNanos = clock.getAsLong();
    }

    /** The parameters to write into postgresql.conf: the cluster's, with SSN ours while synchronous mode is on. */
    Map<String, String> parameters(DynamicConfig dyn, boolean standby) {
        if (!dyn.sync().mode()) {
            return dyn.parameters();
        }
        Map<String, String> p = new LinkedHashMap<>(dyn.parameters());
        String value = standby ? "" : ssn != null ? ssn : dyn.sync().strict() ? "*" : "";
        p.put(SSN, value);
        return p;
    }

    /**
     * Before promoting: claim the sync key with no standby (compare-and-set on the key we read), and run with SSN
     * "*" (strict: no commit is acknowledged until a standby has it) or "" — so no standby counts as holding our
     * commits before it has been confirmed. Returns false when the key changed under us: promote later.
     */
    boolean beforePromote(Cluster c, DynamicConfig dyn) throws DcsException {
        if (!dyn.sync().mode()) {
            return true;
        }
        ObjectNode key = JsonNodeFactory.instance.objectNode().put("leader", me).putNull("sync_standby");
        if (!dcs.putIfModRevision(DcsKeys.SYNC, key.toString(), c.sync() == null ? 0 : c.syncModRevision())) {
            LOG.warn("{}sync key changed while promoting: postponing the promotion", log);
            return false;
        }
        ssn = dyn.sync().strict() ? "*" : "";
        caughtUpFrom.clear();
        return true;
    }

    /**
     * After a demotion: the standbys' confirmations start afresh. SSN is kept: a standby is written "" anyway
     * ({@link #parameters}), and a leader that starts its PostgreSQL as primary again (row 14, it still holds the
     * key) must keep waiting for the standbys the sync key names; with "" it acknowledged commits those standbys
     * never had, and one of them could then be promoted without them (found by the simulation, seed 1475).
     */
    void demoted() {
        caughtUpFrom.clear();
    }

    /** The leader's step of a quiet cycle. Returns true when SSN changed (postgresql.conf must be rewritten and reloaded). */
    boolean everyCycle(Cluster c, PgSnapshot snap, DynamicConfig dyn, SyncProbe session) throws DcsException, SQLException {
        if (!dyn.sync().mode()) {
            return switchedOff(c);
        }
        SyncKey key = SyncKey.active(c, true);
        if (key == null || !key.leader().equals(me)) {
            ObjectNode claim = JsonNodeFactory.instance.objectNode().put("leader", me).putNull("sync_standby");
            // the key may still name standbys of another leader: only our own confirmations count
            if (ssn == null) {
                ssn = dyn.sync().strict() ? "*" : "";
            }
            if (dcs.putIfModRevision(DcsKeys.SYNC, claim.toString(), c.sync() == null ? 0 : c.syncModRevision())) {
                LOG.info("{}synchronous mode: sync key now names {} as leader with no standby yet", log, me);
            }
            return ssnNeedsWriting(dyn);
        }
        observe(snap, session);
        if (!String.valueOf(snap.postmasterStartTime()).equals(primaryStart)) {
            primaryStart = String.valueOf(snap.postmasterStartTime());
            primaryStartSeenNanos = clock.getAsLong();
        }
        boolean justStarted = clock.getAsLong() - primaryStartSeenNanos < RECONNECT_GRACE_NANOS;
        String commitLevel = dyn.parameters().getOrDefault("synchronous_commit", "on");
        SyncPlanner.Step step = SyncPlanner.plan(new SyncPlanner.Input(
                new SyncPlanner.Settings(me, dyn.sync().nodeCount(), dyn.sync().strict(), dyn.sync().maximumLagOnSyncnode(), commitLevel),
                snap.replication(), c.members(), key.standbys(), SyncPlanner.names(ssn), ssn == null ? "" : ssn, Map.copyOf(caughtUpFrom),
                justStarted));
        switch (step.kind()) {
            case WRITE_KEY -> {
                ObjectNode v = JsonNodeFactory.instance.objectNode().put("leader", me);
                String standbys = SyncKey.standbyValue(step.standbys());
                if (standbys == null) {
                    v.putNull("sync_standby");
                } else {
                    v.put("sync_standby", standbys);
                }
                if (dcs.putIfModRevision(DcsKeys.SYNC, v.toString(), c.syncModRevision())) {
                    LOG.info("{}{}", log, step.why());
                }
                return false;
            }
            case SET_SSN -> {
                LOG.info("{}{}", log, step.why());
                ssn = step.ssn();
                caughtUpFrom.keySet().retainAll(step.standbys());
                return true;
            }
            default -> {
                return ssnNeedsWriting(dyn);
            }
        }
    }

    private String lastWritten;
    /** When postgresql.conf was last written with a different SSN (System.nanoTime; see SsnApplied). */
    private long ssnWrittenNanos;
    private boolean waitingForCheckpointer;

    /** True once after SSN changed from what was last written into postgresql.conf. */
    private boolean ssnNeedsWriting(DynamicConfig dyn) {
        String now = parameters(dyn, false).get(SSN);
        boolean changed = !now.equals(lastWritten);
        return changed;
    }

    /** postgresql.conf was written with this SSN. */
    void written(Map<String, String> parameters) {
        String value = parameters.get(SSN);
        if (!java.util.Objects.equals(value, lastWritten)) {
            ssnWrittenNanos = clock.getAsLong();
        }
        lastWritten = value;
    }

    private boolean switchedOff(Cluster c) throws DcsException {
        if (c.sync() != null && c.hasLeader(me)) {
            if (dcs.deleteIfModRevision(DcsKeys.SYNC, c.syncModRevision())) {
                LOG.info("{}synchronous mode is off: sync key deleted", log);
            }
            return false; // SSN goes back to the user's value on the next cycle, after the key is gone
        }
        if (ssn != null) {
            ssn = null;
            caughtUpFrom.clear();
            LOG.info("{}synchronous mode is off: {} back to the configured value", log, SSN);
            return true;
        }
        return false;
    }

    /**
     * Records, for each standby newly reported as sync, our flush LSN read once commits certainly wait for it
     * ({@link SsnApplied}): every commit acknowledged before is at most that LSN, every later one waits.
     */
    private void observe(PgSnapshot snap, SyncProbe session) throws SQLException {
        Set<String> syncNow = new java.util.HashSet<>();
        snap.replication().stream().filter(r -> "sync".equals(r.syncState())).forEach(r -> syncNow.add(r.applicationName()));
        caughtUpFrom.keySet().retainAll(syncNow);
        if (caughtUpFrom.keySet().containsAll(syncNow)) {
            return;
        }
        if (!SsnApplied.certain(ssnWrittenNanos, clock.getAsLong(), session.checkpointerWaitEvent())) {
            if (!waitingForCheckpointer) {
                LOG.info("{}sync standbys {}: waiting until commits certainly wait for them (the checkpointer has not been"
                        + " seen idle since {} was reloaded)", log, syncNow, SSN);
            }
            waitingForCheckpointer = true;
            return;
        }
        waitingForCheckpointer = false;
        long flush = session.currentFlushLsn();
        syncNow.forEach(name -> caughtUpFrom.putIfAbsent(name, flush));
    }
}
