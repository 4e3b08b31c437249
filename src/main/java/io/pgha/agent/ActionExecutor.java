package io.pgha.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.contract.Cluster;
import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.Dcs;
import io.pgha.contract.Member;
import io.pgha.agent.ha.Decision;
import io.pgha.agent.ha.LocalState;
import io.pgha.agent.postgres.ConfFiles;
import io.pgha.agent.postgres.PgSession;
import io.pgha.agent.postgres.Postgres;
import io.pgha.config.AgentSettings;
import io.pgha.contract.DcsKeys;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out one {@link Decision}. Every step that can make PostgreSQL writable first checks the lease. */
final class ActionExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Raised when the agent must stop (wrong cluster, failed bootstrap). */
    static final class FatalError extends RuntimeException {
        FatalError(String message) {
            super(message);
        }
    }

    private final AgentSettings s;
    private final Dcs dcs;
    private final Postgres pg;
    private final PgSession session;
    private final Fence fence;
    private final LeaseKeeper leases;
    private final String log;
    private volatile String transientState;
    /** Consecutive starts that did not produce a running server. */
    private int startFailures;
    private long startRequestedNanos;
    private long lastRewindAttemptNanos;
    private boolean promoted;
    private volatile boolean switchingOver;

    private final io.pgha.agent.rest.PeerClient peers;
    /** Told the moment we hold the leader lock, before promoting: the REST API then answers as leader. */
    private volatile Runnable onLockAcquired = () -> { };

    void onLockAcquired(Runnable hook) {
        this.onLockAcquired = hook;
    }

    private final SyncReplication sync;

    ActionExecutor(AgentSettings s, Dcs dcs, Postgres pg, PgSession session, Fence fence, io.pgha.agent.rest.PeerClient peers,
                   SyncReplication sync) {
        this.sync = sync;
        this.peers = peers;
        this.s = s;
        this.dcs = dcs;
        this.pg = pg;
        this.session = session;
        this.fence = fence;
        this.leases = new LeaseKeeper(dcs, "[" + s.scope() + "/" + s.name() + "] ");
        this.log = "[" + s.scope() + "/" + s.name() + "] ";
    }

    /** How many failed starts in a row make the member give up (release the lock, or rewind a replica). */
    static final int START_ATTEMPTS = 3;

    boolean startFailed() {
        return startFailures >= START_ATTEMPTS;
    }

    /** A state to publish instead of the probed one while a long action runs (e.g. "creating replica"). */
    String transientState() {
        return transientState;
    }

    /** Called every cycle: a start whose postmaster is gone again, or that never comes up, failed. */
    void observeStart(boolean running, boolean starting, Duration startTimeout) {
        if (running) {
            startFailures = 0;
            startRequestedNanos = 0;
            return;
        }
        if (startRequestedNanos == 0) {
            return;
        }
        long elapsed = System.nanoTime() - startRequestedNanos;
        // pg_ctl -W returns before the postmaster writes its pid file: judge only after a second
        if ((!starting && elapsed > TimeUnit.SECONDS.toNanos(1)) || elapsed > startTimeout.toNanos()) {
            startFailures++;
            startRequestedNanos = 0;
            LOG.warn("{}PostgreSQL did not start, attempt {} of {} (see {})", log, startFailures, START_ATTEMPTS, pg.serverLog());
        }
    }

    void execute(Decision d, Cluster c, LocalState l, DynamicConfig dyn) throws DcsException, IOException, SQLException {
        switch (d.action()) {
            case NONE -> { }
            case BOOTSTRAP -> bootstrap(dyn);
            case CLONE -> cloneFrom(c, d.target(), dyn);
            case START_PRIMARY -> startPrimary(dyn);
            case START_REPLICA -> startReplica(c, d.target(), dyn);
            case REWIND -> rewind(c, d.target(), dyn);
            case FOLLOW -> follow(c, d.target(), dyn);
            case PROMOTE -> promote(c, l, dyn);
            case ACQUIRE_LOCK -> acquire(c, l, dyn);
            case DEMOTE -> demote();
            case SWITCHOVER -> switchover(d.target(), c);
            case CLEAR_FAILOVER -> clearFailover(c);
            case RELEASE_LOCK -> {
                if (dcs.releaseLeader()) {
                    LOG.info("{}released the leader lock", log);
                }
            }
            case FATAL -> throw new FatalError(d.reason());
        }
    }

    // ------------------------------------------------------------------ bootstrap and clone

    private void bootstrap(DynamicConfig dyn) throws DcsException, IOException {
        if (!dcs.raceInitialize()) {
            LOG.info("{}another member won the bootstrap race", log);
            return;
        }
        LOG.info("{}won the bootstrap race: initializing a new cluster", log);
        transientState = "initializing new cluster";
        try {
            pg.initdb(s.initdbOptions());
            writeConfig(dyn, null, false);
            pg.startAndWait(Duration.ofSeconds(120));
            createRoles();
            String sysid = session.snapshot().systemIdentifier();
            dcs.put(DcsKeys.INITIALIZE, sysid);
            dcs.putIfModRevision(DcsKeys.CONFIG, JSON.writeValueAsString(s.bootstrapDcs()), 0);
            dcs.put(DcsKeys.HISTORY, "[]");
            if (!dcs.acquireLeader()) {
                throw new IOException("could not take the leader key after bootstrap");
            }
            fence.primaryActive(true);
            LOG.info("{}bootstrapped cluster {} (system identifier {}) and acquired the leader lock", log, s.scope(), sysid);
        } catch (IOException | SQLException | DcsException e) {
            LOG.error("{}bootstrap failed: {}", log, e.getMessage());
            pg.stop("immediate", Duration.ofSeconds(10));
            pg.wipeDataDir(); // safe: bootstrap runs only on an empty data directory
            undoBootstrapKeys();
            throw new FatalError("bootstrap failed: " + e.getMessage());
        } finally {
            transientState = null;
        }
    }

    /** Lets the next member bootstrap: our leader key (if taken) and the initialize key go. */
    private void undoBootstrapKeys() {
        try {
            dcs.releaseLeader();
            dcs.deleteInitialize();
        } catch (DcsException e) {
            LOG.error("{}could not clean up the bootstrap keys: {}", log, e.getMessage());
        }
    }

    private void createRoles() throws SQLException {
        AgentSettings.Login repl = s.postgresql().replication();
        session.execute("CREATE ROLE " + ident(repl.username()) + " WITH REPLICATION LOGIN PASSWORD " + literal(repl.password()));
        AgentSettings.Login rewind = s.postgresql().rewind();
        if (rewind != null && !rewind.username().equals(s.postgresql().superuser().username())) {
            String r = ident(rewind.username());
            session.execute("CREATE ROLE " + r + " WITH LOGIN PASSWORD " + literal(rewind.password()));
            for (String fn : new String[] {"pg_catalog.pg_ls_dir(text, boolean, boolean)", "pg_catalog.pg_stat_file(text, boolean)",
                    "pg_catalog.pg_read_binary_file(text)", "pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)"}) {
                session.execute("GRANT EXECUTE ON FUNCTION " + fn + " TO " + r);
            }
        }
    }

    private void cloneFrom(Cluster c, String source, DynamicConfig dyn) throws IOException, SQLException {
        Member m = c.members().get(source);
        URI conn = m == null || m.connUrl() == null ? null : URI.create(m.connUrl());
        if (conn == null) {
            LOG.info("{}waiting for {} to publish its address before cloning", log, source);
            return;
        }
        transientState = "creating replica";
        try {
            LOG.info("{}cloning from {} with pg_basebackup", log, source);
            leases.during("clone", () -> {
                pg.basebackup(conn.getHost(), conn.getPort());
                return null;
            });
            String leader = c.leader() != null ? c.leader().name() : source;
            writeConfig(dyn, upstream(c, leader), true);
            requestStart();
            LOG.info("{}replica created from {}; starting it", log, source);
        } finally {
            transientState = null;
        }
    }

    // ------------------------------------------------------------------ start, follow, rewind

    /** postgresql.conf for the role about to run; SSN as synchronous replication manages it. */
    private void writeConfig(DynamicConfig dyn, ConfFiles.Upstream upstream, boolean standby) throws IOException {
        Map<String, String> p = sync.parameters(dyn, standby);
        pg.writeConfig(p, upstream, standby);
        if (!standby) {
            sync.written(p);
        }
    }

    private void startPrimary(DynamicConfig dyn) throws IOException {
        if (startPending()) {
            return;
        }
        if (!fence.leaseValidFor(TimeUnit.SECONDS.toNanos(1))) {
            LOG.warn("{}not starting as primary: the leader lease is too close to its end", log);
            return;
        }
        writeConfig(dyn, null, false);
        fence.primaryActive(true);
        requestStart();
        LOG.info("{}starting PostgreSQL as primary (we still hold the leader lock)", log);
    }

    private void startReplica(Cluster c, String leader, DynamicConfig dyn) throws IOException {
        if (startPending()) {
            return;
        }
        writeConfig(dyn, leader == null ? null : upstream(c, leader), true);
        fence.primaryActive(false);
        requestStart();
        LOG.info("{}starting PostgreSQL as a replica{}", log, leader == null ? " following nobody" : " of " + leader);
    }

    /** A start was requested and has neither come up nor failed yet. */
    private boolean startPending() {
        return startRequestedNanos != 0;
    }

    private void requestStart() throws IOException {
        if (startFailed()) {
            startFailures = 0; // a new decision to start (after rewind, or giving up the lock) starts a new count
        }
        startRequestedNanos = System.nanoTime();
        pg.start();
    }

    private void follow(Cluster c, String leader, DynamicConfig dyn) throws IOException {
        writeConfig(dyn, upstream(c, leader), true);
        pg.reload();
        LOG.info("{}now following {} (configuration reloaded, no restart)", log, leader);
    }

    private void rewind(Cluster c, String leader, DynamicConfig dyn) throws IOException, SQLException {
        if (System.nanoTime() - lastRewindAttemptNanos < TimeUnit.SECONDS.toNanos(10) && lastRewindAttemptNanos != 0) {
            return; // a failed rewind is retried at most every 10 s
        }
        lastRewindAttemptNanos = System.nanoTime();
        ConfFiles.Upstream up = upstream(c, leader);
        if (up == null) {
            return;
        }
        if (!dyn.usePgRewind() || !s.postgresql().usePgRewind()) {
            reinitOrGiveUp("use_pg_rewind is off");
            return;
        }
        transientState = "rewinding";
        try {
            if (pg.postmasterPid() > 0 && !pg.stop("fast", Duration.ofSeconds(60))) {
                LOG.error("{}could not stop PostgreSQL before pg_rewind", log);
                return;
            }
            session.close();
            pg.clearStandbySignal();
            LOG.info("{}running pg_rewind from {}", log, leader);
            var r = leases.during("rewind", () -> pg.rewind(up.host(), up.port()));
            if (!r.ok()) {
                String out = r.output().strip().replace('\n', ' ');
                LOG.error("{}pg_rewind from {} failed: {}", log, leader, out);
                if (out.contains("could not connect") || out.contains("connection to server")) {
                    return; // the leader was not reachable: nothing is known about our data, try again later
                }
                reinitOrGiveUp("pg_rewind failed");
                return;
            }
            lastRewindAttemptNanos = 0;
            startFailures = 0;
            writeConfig(dyn, up, true);
            requestStart();
            LOG.info("{}rewound from {}; starting as its replica", log, leader);
        } finally {
            transientState = null;
        }
    }

    private void reinitOrGiveUp(String why) throws IOException {
        if (s.postgresql().removeDataDirectoryOnRewindFailure() || s.postgresql().removeDataDirectoryOnDivergedTimelines()) {
            LOG.warn("{}{}: removing the data directory to clone it again", log, why);
            pg.wipeDataDir();
        } else {
            LOG.error("{}{}: the member cannot rejoin by itself (set remove_data_directory_on_rewind_failure or reinitialize it)", log, why);
        }
    }

    /** The leader's address from its member key; null (and a log line) when it has not published one. */
    private ConfFiles.Upstream upstream(Cluster c, String leader) {
        Member m = c.members().get(leader);
        if (m == null || m.connUrl() == null) {
            LOG.info("{}leader {} has no member key yet", log, leader);
            return null;
        }
        URI u = URI.create(m.connUrl());
        return new ConfFiles.Upstream(leader, u.getHost(), u.getPort() < 0 ? 5432 : u.getPort());
    }

    // ------------------------------------------------------------------ leadership

    private void acquire(Cluster c, LocalState l, DynamicConfig dyn) throws DcsException, SQLException, IOException {
        long syncVersion = !dyn.sync().mode() ? -1 : c.sync() == null ? 0 : c.syncModRevision();
        if (!dcs.acquireLeader(syncVersion)) {
            LOG.info("{}lost the race for the leader lock", log);
            return;
        }
        LOG.info("{}acquired the leader lock", log);
        onLockAcquired.run();
        if (l.inRecovery()) {
            promote(c, l, dyn);
        } else {
            fence.primaryActive(true);
        }
        if (io.pgha.agent.ha.FailoverRequest.from(c.failover()) != null) {
            clearFailover(c); // the manual failover is done (after promoting: it is not on the write outage's path)
        }
    }

    private void promote(Cluster c, LocalState l, DynamicConfig dyn) throws SQLException, IOException, DcsException {
        if (!fence.leaseValidFor(TimeUnit.SECONDS.toNanos(1))) {
            LOG.warn("{}not promoting: the leader lease is too close to its end", log);
            return;
        }
        if (dyn.sync().mode()) {
            if (!sync.beforePromote(c, dyn)) {
                return;
            }
            // still a standby until pg_promote: same upstream, but the SSN the new primary must start with
            Map<String, String> p = sync.parameters(dyn, false);
            pg.writeConfig(p, l.following() == null ? null : upstream(c, l.following()), true);
            sync.written(p);
            pg.reload();
        }
        fence.primaryActive(true);
        long t0 = System.nanoTime();
        // pg_promote(wait => true) checks for the end of recovery only every 100 ms: ask, then watch closely
        session.execute("SELECT pg_promote(false)");
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        long nextNudge = t0 + TimeUnit.MILLISECONDS.toNanos(PROMOTE_NUDGE_MILLIS);
        while (session.inRecovery()) {
            leases.renew("promotion"); // a replay backlog can take longer than ttl
            if (System.nanoTime() > nextNudge) {
                nudgePromotion();
                nextNudge = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROMOTE_NUDGE_MILLIS);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("PostgreSQL did not leave recovery within 60 s of pg_promote");
            }
            try {
                Thread.sleep(5); // PostgreSQL offers no notification of the end of recovery to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while promoting", e);
            }
        }
        LOG.info("{}promoted to primary in {} ms", log, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        promoted = true;
    }

    /**
     * PostgreSQL 15 can sit on a promote request for about a second: when it arrives just as the startup process
     * has lost its WAL receiver (the old primary went away a moment before, as in every switchover), the
     * startup process notes the request, asks for a new WAL receiver anyway and waits for that one to fail
     * before it ends recovery (seen in 2 of 8 switchovers here, "received promote request" then "waiting for
     * WAL to become available" and "redo done" 1 s later). A repeated request wakes it from that wait.
     */
    static final long PROMOTE_NUDGE_MILLIS = 100;

    private void nudgePromotion() {
        try {
            session.execute("SELECT pg_promote(false) WHERE pg_is_in_recovery()");
        } catch (SQLException e) {
            LOG.debug("{}repeated promote request: {}", log, e.getMessage()); // recovery just ended: nothing to nudge
        }
    }

    /** True once after a promotion: the loop then publishes the new role before the post-promotion chores. */
    boolean takePromoted() {
        boolean p = promoted;
        promoted = false;
        return p;
    }

    private void demote() throws IOException {
        sync.demoted();
        if (!pg.quitNow()) {
            pg.killNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pg.postmasterPid() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // waiting for the postmaster to exit after SIGQUIT; it offers no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (pg.postmasterPid() > 0 && !pg.stop("immediate", Duration.ofSeconds(10))) {
            pg.killNow();
        }
        if (pg.postmasterPid() < 0) {
            fence.primaryActive(false);
        }
        session.close();
        LOG.info("{}demoted: PostgreSQL stopped, it will rejoin as a replica", log);
    }

    /**
     * POST /restart: a clean stop and a start in the same role, waiting for PostgreSQL to accept connections.
     * The leader keeps its lock and lease throughout (Patroni does the same), so no failover starts.
     */
    boolean restart(Cluster c, LocalState l, DynamicConfig dyn, Duration timeout) {
        boolean primary = c != null && c.hasLeader(s.name()) && !l.inRecovery();
        if (primary && !fence.leaseValidFor(TimeUnit.SECONDS.toNanos(1))) {
            // the view says we lead, but the lease behind the key is not certainly ours (etcd out of reach, a lease
            // that expired and was granted again): a primary started now could overlap another member's
            LOG.warn("{}restart refused: the leader lease is not certainly ours for the next second", log);
            return false;
        }
        transientState = "restarting";
        try {
            session.close();
            boolean stopped = leases.during("restart stop", () -> pg.stop("fast", Duration.ofSeconds(60)))
                    || pg.stop("immediate", Duration.ofSeconds(30));
            if (!stopped) {
                LOG.error("{}restart: PostgreSQL did not stop", log);
                return false;
            }
            if (primary && !fence.leaseValidFor(TimeUnit.SECONDS.toNanos(1))) {
                LOG.warn("{}restart: PostgreSQL stopped, but the leader lease is no longer certainly ours: not starting"
                        + " it as primary (the HA loop decides)", log);
                return false;
            }
            if (primary) {
                writeConfig(dyn, null, false);
                fence.primaryActive(true);
            } else {
                writeConfig(dyn, l.following() == null ? null : upstream(c, l.following()), true);
                fence.primaryActive(false);
            }
            leases.during("restart start", () -> {
                pg.startAndWait(timeout);
                return null;
            });
            LOG.info("{}PostgreSQL restarted as {}", log, primary ? "primary" : "replica");
            return true;
        } catch (IOException | SQLException e) {
            LOG.error("{}restart failed: {}", log, e.getMessage());
            return false;
        } finally {
            transientState = null;
        }
    }

    /** POST /reinitialize: stop PostgreSQL and empty the data directory; the next cycle clones it afresh. */
    void reinitialize() throws IOException {
        LOG.info("{}reinitializing: stopping PostgreSQL and removing the data directory", log);
        session.close();
        if (!pg.stop("immediate", Duration.ofSeconds(30))) {
            pg.killNow();
        }
        if (pg.postmasterPid() > 0) {
            throw new IOException("PostgreSQL did not stop");
        }
        fence.primaryActive(false);
        pg.wipeDataDir();
    }

    /** New parameters (DCS config or POST /reload): rewrite postgresql.conf for the current role and reload. */
    void reloadConfig(Cluster c, LocalState l, DynamicConfig dyn) throws IOException {
        if (l.inRecovery()) {
            writeConfig(dyn, l.following() == null || c == null ? null : upstream(c, l.following()), true);
        } else {
            writeConfig(dyn, null, false);
        }
        pg.reload();
        LOG.info("{}configuration rewritten and reloaded", log);
    }

    /** Whether PostgreSQL reports parameters that only a restart applies; false when it cannot be asked. */
    boolean pendingRestart() {
        try {
            return session.pendingRestart();
        } catch (SQLException e) {
            LOG.debug("{}pending_restart unknown: {}", log, e.getMessage());
            return false;
        }
    }

    /**
     * Graceful demotion for a switchover: a checkpoint first (so the clean stop is quick), a fast stop that
     * lets the standbys receive the shutdown checkpoint, then the leader key goes. The lease stays alive
     * throughout, so no standby can take over while this PostgreSQL might still accept a write.
     */
    private void switchover(String candidate, Cluster c) throws IOException, SQLException, DcsException {
        LOG.info("{}switchover{}: checkpoint and clean stop", log, candidate == null ? "" : " to " + candidate);
        try {
            leases.during("switchover checkpoint", () -> {
                session.execute("CHECKPOINT"); // while writes still flow: the shutdown checkpoint is then short
                return null;
            });
        } catch (SQLException e) {
            LOG.warn("{}checkpoint before the switchover failed: {}", log, e.getMessage());
        }
        switchingOver = true; // from here GET /primary answers 503: HAProxy stops sending new sessions here
        try {
            session.close();
            boolean released = leases.during("switchover stop", () -> stopReleasingEarly(candidate, c));
            if (pg.postmasterPid() > 0 && !pg.stop("immediate", Duration.ofSeconds(30))) {
                pg.killNow();
            }
            if (pg.postmasterPid() > 0) {
                LOG.error("{}switchover: PostgreSQL did not stop; keeping the leader key", log);
                return;
            }
            fence.primaryActive(false);
            if (!released && dcs.releaseLeader()) {
                LOG.info("{}switchover: PostgreSQL stopped, leader key released", log);
            }
        } finally {
            switchingOver = false;
        }
    }

    /**
     * Fast shutdown; the leader key goes as soon as pg_control says "shut down" and the candidate has received
     * the shutdown checkpoint (no write can happen any more, and the candidate has everything), rather than
     * after the postmaster has waited for its WAL senders and exited, ~0.4 s later. Returns whether the key
     * was released here.
     */
    /** Size of PostgreSQL 15's shutdown checkpoint WAL record: header, short data header, CheckPoint struct. */
    static final long SHUTDOWN_CHECKPOINT_RECORD_BYTES = 114;

    private boolean stopReleasingEarly(String candidate, Cluster c) throws IOException {
        long pid = pg.postmasterPid();
        if (!pg.requestFastShutdown(pid)) {
            pg.stop("fast", Duration.ofSeconds(60));
            return false;
        }
        io.pgha.contract.Member cand = candidate == null ? null : c.members().get(candidate);
        boolean released = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pg.running(pid) && System.nanoTime() < deadline) {
            long checkpoint = released || cand == null || cand.apiUrl() == null ? -1 : pg.shutDownCheckpoint();
            if (checkpoint > 0) {
                io.pgha.agent.rest.PeerReport r = peers.fetch(candidate, cand.apiUrl()).join();
                // the candidate must hold the whole shutdown checkpoint record (>= 114 bytes from its start);
                // if it reports less, the key simply goes after the postmaster's exit, as before
                if (r.reachable() && r.walPosition() >= checkpoint + SHUTDOWN_CHECKPOINT_RECORD_BYTES) {
                    try {
                        fence.primaryActive(false);
                        released = dcs.releaseLeader();
                        if (released) {
                            LOG.info("{}switchover: shutdown checkpoint written and received by {}: leader key released", log, candidate);
                        }
                    } catch (DcsException e) {
                        LOG.warn("{}switchover: could not release the leader key early: {}", log, e.getMessage());
                    }
                }
            }
            try {
                Thread.sleep(10); // the postmaster's exit and pg_control's change offer no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while PostgreSQL stops", e);
            }
        }
        return released;
    }

    /** A switchover has begun stopping this primary: it must no longer be offered as one. */
    boolean switchingOver() {
        return switchingOver;
    }

    private void clearFailover(Cluster c) throws DcsException {
        if (dcs.putIfModRevision(io.pgha.contract.DcsKeys.FAILOVER, "{}", c.failoverModRevision())) {
            LOG.info("{}failover key cleared", log);
        }
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

}
