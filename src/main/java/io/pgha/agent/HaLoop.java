package io.pgha.agent;

import io.pgha.contract.Cluster;
import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.Dcs;
import io.pgha.contract.Member;
import io.pgha.agent.ha.Action;
import io.pgha.agent.ha.Decision;
import io.pgha.agent.ha.HaDecider;
import io.pgha.agent.ha.HaInput;
import io.pgha.agent.ha.FailoverRequest;
import io.pgha.agent.ha.HaSettings;
import io.pgha.agent.ha.Peer;
import io.pgha.agent.postgres.PgSnapshot;
import io.pgha.agent.rest.AgentCounters;
import io.pgha.agent.rest.NodeStatus;
import io.pgha.agent.rest.NodeStatusSource;
import io.pgha.agent.rest.PeerClient;
import io.pgha.agent.rest.PeerReport;
import io.pgha.config.AgentSettings;
import io.pgha.contract.AgentInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA loop: every loop_wait (or at once when the DCS watch or the fence wakes it) read the cluster,
 * probe PostgreSQL, renew the lock if ours, decide ({@link HaDecider}), execute, publish.
 */
final class HaLoop implements NodeStatusSource {
    private static final Logger LOG = LoggerFactory.getLogger(HaLoop.class);

    private final AgentSettings s;
    private final Dcs dcs;
    private final LocalProbe probe;
    private final ActionExecutor executor;
    private final LeaderDuties duties;
    private final Fence fence;
    private final PeerClient peers;
    private final Failsafe failsafe;
    private final String log;
    private final Semaphore wake = new Semaphore(0);

    private volatile boolean running = true;
    private volatile DynamicConfig dyn;
    private volatile NodeStatus status;
    private volatile long lastDcsOkMillis;
    private volatile long lastLoopStartMillis;
    private String lastReason;
    private boolean dcsDown;
    /** Revision the DCS watch started from; -1 when there is no live watch (never made, or failed). */
    private volatile long watchedFromRevision = -1;
    private long lastConfigVersion = Long.MIN_VALUE;
    /** Work the REST API hands over (restart, reinitialize, reload): run on this thread, between cycles. */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AgentCounters counters = new AgentCounters();
    /** postgresql.parameters changed in the DCS config: rewrite the configuration and reload PostgreSQL. */
    private volatile boolean parametersChanged;
    /** Maintenance mode as of the last DCS view: while etcd cannot be read, a paused cluster stays paused. */
    private boolean lastKnownPaused;
    /** The fence's or watchdog's fault as of the last cycle, null while they work (see HaInput#safetyFault). */
    private volatile String safetyFault;
    /** We held the leader key in the last DCS view we had. */
    private boolean lastKnownLeader;
    /** Labels our pod with the role in Kubernetes; null elsewhere. */
    private volatile io.pgha.agent.kube.PodLabeler podLabeler;
    private volatile boolean pendingRestart;
    /** Quiet cycles that still look at pg_settings.pending_restart (a reload reaches the backends a little later). */
    private int pendingRestartChecks = 3;
    private volatile io.pgha.agent.rest.RestartRequest scheduledRestart;

    HaLoop(AgentSettings s, Dcs dcs, LocalProbe probe, ActionExecutor executor, LeaderDuties duties, Fence fence,
           PeerClient peers) {
        this.s = s;
        this.dcs = dcs;
        this.probe = probe;
        this.executor = executor;
        this.duties = duties;
        this.fence = fence;
        this.peers = peers;
        this.log = "[" + s.scope() + "/" + s.name() + "] ";
        this.failsafe = new Failsafe(s, dcs, peers::postAll, fence, log);
        this.dyn = DynamicConfig.from(s.bootstrapDcs());
        this.status = statusOf(null, null, new LocalProbe.Result(null, null, "unknown"), false);
    }

    void wake() {
        wake.release();
    }

    void stop() {
        running = false;
        wake();
    }

    /**
     * The status the REST API answers with. A leader whose lease is no longer certainly valid (a stuck loop,
     * etcd unreachable) stops answering 200 on /primary at once, not one cycle later: HAProxy must not keep
     * sending writes to a member that the fence is about to stop.
     */
    @Override
    public NodeStatus current() {
        NodeStatus st = status;
        return st.holdsLeaderLock() && (!fence.leaseValidFor(0) || executor.switchingOver()) ? st.withoutLeaderLock() : st;
    }

    /** Runs cycles until {@link #stop()}; a fatal condition ends the loop with an exception. */
    void run() {
        while (running) {
            long start = System.currentTimeMillis();
            lastLoopStartMillis = start;
            boolean busy;
            try {
                runTasks();
                busy = cycle();
                counters.loop(System.currentTimeMillis() - start);
            } catch (ActionExecutor.FatalError e) {
                throw e;
            } catch (Exception e) {
                LOG.error("{}HA cycle failed: {}", log, e.toString());
                busy = true;
            }
            // while PostgreSQL starts (after a crash: the write outage) look every 50 ms, else soon or at loop_wait
            long wait = busy ? (status.state() != null && status.state().equals("starting") ? 50 : 200)
                    : Math.max(0, dyn.loopWait() * 1000L - (System.currentTimeMillis() - start));
            try {
                wake.tryAcquire(wait, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Hands work to the HA thread; it runs before the next cycle, which starts at once. */
    <T> CompletableFuture<T> submit(Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                f.complete(work.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        wake();
        return f;
    }

    private void runTasks() {
        for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
            t.run();
        }
    }

    /** Its own connection: the HA loop's is not shared across threads. Opened on the first GET /patroni. */
    private volatile io.pgha.agent.postgres.PgSession restSession;

    void restSession(io.pgha.agent.postgres.PgSession session) {
        this.restSession = session;
    }

    @Override
    public NodeStatus fresh() {
        NodeStatus st = current();
        io.pgha.agent.postgres.PgSession session = restSession;
        if (session == null || !st.isRunning()) {
            return st;
        }
        synchronized (session) {
            try {
                long[] w = session.walPositions();
                // a member that changed role since the last cycle reports the cached view until the loop catches up
                boolean inRecovery = w[0] == 1;
                return inRecovery == "replica".equals(st.role()) ? st.withPositions(inRecovery, w[1], w[2], w[3]) : st;
            } catch (java.sql.SQLException e) {
                return st; // PostgreSQL is busy or going away: the cycle's figures are the best we have
            }
        }
    }

    void podLabeler(io.pgha.agent.kube.PodLabeler labeler) {
        this.podLabeler = labeler;
    }

    Failsafe failsafe() {
        return failsafe;
    }

    AgentCounters counters() {
        return counters;
    }

    DynamicConfig dynamicConfig() {
        return dyn;
    }

    io.pgha.agent.rest.RestartRequest scheduledRestart() {
        return scheduledRestart;
    }

    void scheduleRestart(io.pgha.agent.rest.RestartRequest r) {
        scheduledRestart = r;
    }

    boolean pendingRestart() {
        return pendingRestart;
    }

    /** Re-probes pending_restart (after a reload or a restart). */
    void refreshPendingRestart() {
        boolean now = executor.pendingRestart();
        if (now != pendingRestart) {
            LOG.info("{}{}", log, now ? "PostgreSQL needs a restart to apply changed parameters (pending_restart)"
                    : "no restart pending any more");
        }
        pendingRestart = now;
    }

    /** After a reload or restart: look at pending_restart again over the next few quiet cycles. */
    void recheckPendingRestart() {
        submit(() -> {
            pendingRestartChecks = 5;
            return null;
        });
    }

    /** The last PostgreSQL probe and DCS view, for node tasks that run between cycles. */
    LocalProbe.Result probeNow() {
        return probe.probe(executor.startFailed());
    }

    Cluster readClusterNow() {
        return readCluster();
    }

    /** One cycle; returns true when the next cycle should come soon (something is in motion). */
    private boolean cycle() throws Exception {
        Cluster c = readCluster();
        LocalProbe.Result local = probe.probe(false);
        // the fence guards whatever may take writes now: a running primary, or one starting without standby.signal
        if (local.state().isRunningPrimary() || (local.state().starting() && local.state().wasPrimary())) {
            fence.primaryActive(true);
        } else if (!local.state().running() && !local.state().starting() || local.state().inRecovery()) {
            fence.primaryActive(false);
        }
        LocalProbe.Result probed = local;
        Cluster seen = c;
        // like Patroni, GET /leader and /primary answer 200 once we hold the lock, while PostgreSQL is being
        // promoted: HAProxy's checks then overlap the promotion instead of following it
        executor.onLockAcquired(() -> status = statusOf(seen, probed.snapshot(), probed, true));
        executor.observeStart(local.state().running(), local.state().starting(),
                Duration.ofSeconds(Math.max(30, dyn.ttl() * 3L)));
        local = new LocalProbe.Result(local.state().withStartFailed(executor.startFailed()), local.snapshot(),
                executor.startFailed() && !local.state().running() ? "start failed" : local.pgState());
        boolean renewed = false;
        boolean renewalUnanswered = false;
        if (c != null && c.hasLeader(s.name())) {
            try {
                renewed = dcs.refreshLeader();
            } catch (DcsException e) {
                renewalUnanswered = true; // unlike a refused renewal (the key is not ours), the key may well still be
                LOG.warn("{}failed to renew the leader lock: {}", log, e.getMessage());
            }
            counters.leaseRenewal(renewed);
        }
        long now = System.currentTimeMillis();
        Map<String, Peer> peerViews = needsPeers(c, local, now) ? fetchPeers(c) : Map.of();
        HaSettings hs = new HaSettings(s.name(), s.tags().nofailover(), dyn.maximumLagOnFailover(), dyn.checkTimeline(),
                dyn.usePgRewind(), dyn.loopWait() * 1000L, dyn.sync().mode(), dyn.failsafeMode());
        if (c != null) {
            lastKnownPaused = c.paused();
        }
        // a surviving etcd member may still answer reads when quorum is lost: an unanswered renewal counts as no etcd;
        // in maintenance mode too, since the fence still guards a paused primary
        boolean failsafeConfirmed = (c == null || renewalUnanswered) && local.state().isRunningPrimary() && failsafe.confirm(dyn);
        counters.failsafeActive(failsafe.active());
        if (c != null) {
            lastKnownLeader = c.hasLeader(s.name());
        }
        // time to retry next cycle: only while the lease certainly lasts, and never once etcd said the key is not ours
        boolean keyMayBeOurs = c == null ? lastKnownLeader : renewalUnanswered;
        long slack = keyMayBeOurs ? fence.slackMillis(TimeUnit.MILLISECONDS.toNanos(dyn.loopWait() * 1000L)) : 0;
        Decision d = HaDecider.decide(new HaInput(c, local.state(), hs, renewed, peerViews, now, lastKnownPaused,
                failsafeConfirmed, failsafe.promiseInForce(dyn), slack, checkSafety()));
        logDecision(d);
        counters.decision(d.action().name());
        executor.execute(d, c, local.state(), dyn);
        if (d.action() == Action.NONE && c != null && local.state().running() && !local.state().starting()) {
            afterQuietCycle(c, local);
        }

        if (d.action() != Action.NONE) {
            local = probe.probe(executor.startFailed());
            c = d.action() == Action.ACQUIRE_LOCK || d.action() == Action.PROMOTE || d.action() == Action.BOOTSTRAP
                    || d.action() == Action.RELEASE_LOCK || d.action() == Action.SWITCHOVER ? readCluster() : c;
        }
        if (executor.takePromoted() && c != null) {
            // HAProxy learns of the new primary from GET /primary: answer 200 before slots and checkpoint
            publishStatus(c, local);
            duties.afterPromote(c);
            local = probe.probe(executor.startFailed());
        }
        // no etcd quorum behind a member that still answers reads: writes would only time out, one after another
        boolean dcsWritable = c != null && !renewalUnanswered;
        if (dcsWritable) {
            failsafe.dcsWorks();
        }
        if (dcsWritable && c.hasLeader(s.name()) && local.snapshot() != null && !local.snapshot().inRecovery()) {
            dcs.keepLeaseFresh(); // each step below can take up to retry_timeout on a slow etcd
            failsafe.publish(c, dyn);
            dcs.keepLeaseFresh();
            if (duties.everyCycle(c, local.snapshot(), dyn)) {
                executor.reloadConfig(c, local.state(), dyn);
            }
        }
        if (dcsWritable) {
            dcs.keepLeaseFresh();
        }
        publish(c, local, dcsWritable);
        boolean failing = executor.startFailed();
        return !failing && (d.action() != Action.NONE || local.state().starting()
                || (!local.state().running() && !local.state().dataDirEmpty()));
    }

    /** The fence's and watchdog's fault, logged once when it appears and once when it clears. */
    private String checkSafety() {
        String fault = fence.fault();
        if (fault != null && !fault.equals(safetyFault)) {
            LOG.error("{}SAFETY FAULT: {}: this member leaves leadership and will not take it while this lasts", log, fault);
            counters.safetyFault();
        } else if (fault == null && safetyFault != null) {
            LOG.warn("{}safety fault cleared ({} before)", log, safetyFault);
        }
        safetyFault = fault;
        return fault;
    }

    private Cluster readCluster() {
        try {
            Cluster c = dcs.read();
            lastDcsOkMillis = System.currentTimeMillis();
            failsafe.seen(c);
            if (dcsDown) {
                LOG.info("{}DCS is accessible again", log);
                dcsDown = false;
            }
            long configVersion = c.config() != null ? c.configModRevision() : -1;
            if (configVersion != lastConfigVersion) { // parsed (and its warnings logged) only when it changes
                lastConfigVersion = configVersion;
                DynamicConfig next = DynamicConfig.from(c.config() != null ? c.config() : s.bootstrapDcs(), dyn, log);
                if (!next.equals(dyn)) {
                    boolean paramsDiffer = dyn != null && !next.parameters().equals(dyn.parameters());
                    boolean timingDiffers = dyn != null && (next.ttl() != dyn.ttl() || next.loopWait() != dyn.loopWait()
                            || next.retryTimeout() != dyn.retryTimeout());
                    dyn = next;
                    applyTiming();
                    if (timingDiffers) {
                        LOG.info("{}new timing from the DCS config: ttl {} loop_wait {} retry_timeout {}", log, next.ttl(),
                                next.loopWait(), next.retryTimeout());
                    }
                    parametersChanged |= paramsDiffer;
                }
            }
            if (watchedFromRevision < 0) {
                watchedFromRevision = c.revision();
                dcs.watch(c.revision(), what -> {
                    if (!what.startsWith("status")) {
                        wake();
                    }
                }, () -> watchedFromRevision = -1);
            }
            return c;
        } catch (DcsException e) {
            counters.dcsError();
            if (!dcsDown) {
                LOG.error("{}DCS is not accessible: {}", log, e.getMessage());
                dcsDown = true;
            }
            return null;
        }
    }

    void applyTiming() {
        dcs.setTiming(dyn.ttl(), Duration.ofSeconds(dyn.retryTimeout()));
        // stop a primary one loop_wait before the lease could end, at least half a second
        fence.margin(TimeUnit.MILLISECONDS.toNanos(Math.max(500, Math.min(dyn.loopWait() * 1000L, dyn.ttl() * 250L))));
    }

    private boolean needsPeers(Cluster c, LocalProbe.Result local, long now) {
        if (c == null || !local.state().running()) {
            return false;
        }
        if (c.isUnlocked()) {
            // the named candidate of a manual failover races without comparing itself to anyone
            FailoverRequest f = FailoverRequest.from(c.failover());
            return local.state().inRecovery() && !s.tags().nofailover() && (f == null || !s.name().equals(f.candidate()));
        }
        // the leader checks the candidates of a switchover that is due
        FailoverRequest f = c.hasLeader(s.name()) ? FailoverRequest.from(c.failover()) : null;
        return f != null && (f.scheduledAt() == null || f.scheduledAt() - now <= dyn.loopWait() * 1000L);
    }

    private Map<String, Peer> fetchPeers(Cluster c) {
        Map<String, String> urls = new HashMap<>();
        for (Member m : c.members().values()) {
            if (!m.name().equals(s.name()) && m.apiUrl() != null && !m.tag("nofailover")) {
                urls.put(m.name(), m.apiUrl());
            }
        }
        Map<String, Peer> out = new HashMap<>();
        for (PeerReport r : peers.fetchAll(urls).values()) {
            out.put(r.name(), new Peer(r.name(), r.reachable() && !r.watchdogFailed(), r.isPrimary(), r.walPosition(),
                    Boolean.TRUE.equals(r.tags().get("nofailover")), r.timeline()));
        }
        return out;
    }

    private void logDecision(Decision d) {
        // log transitions, not ticks: a decision repeated cycle after cycle is logged once
        if (!d.toString().equals(lastReason)) {
            LOG.info("{}{}", log, d);
            lastReason = d.toString();
        }
    }

    /**
     * Chores of a cycle that changed nothing: apply new PostgreSQL parameters from the DCS (reload; those that
     * need a restart show as pending_restart) and run a scheduled restart that is due.
     */
    private void afterQuietCycle(Cluster c, LocalProbe.Result local) {
        if (parametersChanged) {
            parametersChanged = false;
            try {
                executor.reloadConfig(c, local.state(), dyn);
            } catch (java.io.IOException e) {
                LOG.error("{}could not apply the new parameters: {}", log, e.getMessage());
            }
            pendingRestartChecks = 5;
        } else if (pendingRestartChecks > 0) {
            pendingRestartChecks--;
            refreshPendingRestart();
        }
        io.pgha.agent.rest.RestartRequest r = scheduledRestart;
        if (r != null && r.scheduledAt() != null && r.scheduledAt() <= System.currentTimeMillis()) {
            scheduledRestart = null;
            if (c.paused()) {
                LOG.warn("{}scheduled restart dropped: the cluster is paused", log);
                return;
            }
            String refusal = restartRefusal(r, c, local);
            if (refusal != null) {
                LOG.info("{}scheduled restart skipped: {}", log, refusal);
                return;
            }
            LOG.info("{}running the scheduled restart", log);
            boolean ok = executor.restart(c, local.state(), dyn, Duration.ofSeconds(r.timeoutSeconds() == null ? 60 : r.timeoutSeconds()));
            refreshPendingRestart();
            LOG.info("{}scheduled restart {}", log, ok ? "done" : "failed");
        }
    }

    /** Why a restart request's conditions do not hold (role, version, pending restart), or null. */
    String restartRefusal(io.pgha.agent.rest.RestartRequest r, Cluster c, LocalProbe.Result local) {
        boolean primary = c != null && c.hasLeader(s.name()) && local.state().running() && !local.state().inRecovery();
        if (r.role() != null && !r.role().equals(primary ? "primary" : "replica")) {
            return "role is not " + r.role();
        }
        Integer version = local.snapshot() == null ? null : local.snapshot().serverVersion();
        if (r.postgresVersion() != null && (version == null || !r.serverOlderThanRequested(version))) {
            return "PostgreSQL is not older than " + r.postgresVersion();
        }
        if (r.restartPending() && !pendingRestart) {
            return "no restart is pending";
        }
        return null;
    }

    private void publishStatus(Cluster c, LocalProbe.Result local) {
        boolean leader = c != null && c.hasLeader(s.name());
        String state = executor.transientState() != null ? executor.transientState() : local.pgState();
        status = statusOf(c, local.snapshot(), new LocalProbe.Result(local.state(), local.snapshot(), state), leader);
    }

    private void publish(Cluster c, LocalProbe.Result local, boolean dcsWritable) {
        boolean leader = c != null && c.hasLeader(s.name());
        String state = executor.transientState() != null ? executor.transientState() : local.pgState();
        String role = roleOf(local, leader);
        publishStatus(c, local);
        io.pgha.agent.kube.PodLabeler labeler = podLabeler;
        if (labeler != null) {
            boolean primary = leader && local.snapshot() != null && !local.snapshot().inRecovery();
            com.fasterxml.jackson.databind.node.ObjectNode st = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            st.put("role", role).put("state", state);
            if (local.snapshot() != null && local.snapshot().timeline() > 0) {
                st.put("timeline", local.snapshot().timeline());
            }
            if (c != null && c.leader() != null) {
                st.put("leader", c.leader().name());
            }
            labeler.publish(primary ? io.pgha.contract.PodContract.ROLE_PRIMARY : io.pgha.contract.PodContract.ROLE_REPLICA, st.toString());
        }
        if (dcsWritable) {
            try {
                dcs.touchMember(MemberData.build(s, state, role, local.snapshot(), c.paused(), pendingRestart, scheduledRestart));
            } catch (DcsException e) {
                LOG.warn("{}could not publish the member key: {}", log, e.getMessage());
            }
        }
    }

    private static String roleOf(LocalProbe.Result local, boolean leader) {
        if (local.state() == null || local.state().dataDirEmpty()) {
            return "uninitialized";
        }
        if (local.snapshot() != null) {
            return local.snapshot().inRecovery() ? "replica" : "master";
        }
        if (leader) {
            return "master";
        }
        return local.state().wasPrimary() ? "demoted" : "replica";
    }

    private NodeStatus statusOf(Cluster c, PgSnapshot snap, LocalProbe.Result local, boolean leader) {
        boolean primary = snap != null && !snap.inRecovery();
        boolean syncStandby = c != null && io.pgha.contract.ClusterView.syncMembers(c).contains(s.name());
        long dcsSeen = lastDcsOkMillis;
        return new NodeStatus(s.scope(), s.name(), AgentInfo.PATRONI_COMPAT_VERSION, local.pgState(),
                roleOf(local, leader), snap == null ? null : snap.postmasterStartTime(),
                snap == null ? null : snap.serverVersion(),
                primary ? snap.flushLocation() : null,
                snap != null && snap.inRecovery() ? snap.receivedLocation() : null,
                snap != null && snap.inRecovery() ? snap.replayedLocation() : null,
                snap != null && snap.inRecovery() ? snap.replayedTimestamp() : null,
                snap != null && snap.inRecovery() ? snap.replayPaused() : null,
                snap == null || snap.timeline() == 0 ? null : snap.timeline(),
                snap != null && snap.inRecovery() ? (snap.streaming() ? "streaming" : "in archive recovery") : null,
                snap == null ? List.of() : snap.replication(),
                leader, c == null || c.isUnlocked(), c != null && c.paused(), syncStandby,
                c == null || c.optime() == 0 ? null : c.optime(), dcsSeen / 1000,
                System.currentTimeMillis() - dcsSeen < dyn.ttl() * 1000L,
                snap != null ? snap.systemIdentifier() : (c != null && c.initialize() != null && !c.initialize().isEmpty() ? c.initialize() : null),
                MemberData.tags(s), pendingRestart, lastLoopStartMillis, dyn.loopWait(), dyn.ttl(), safetyFault);
    }
}
