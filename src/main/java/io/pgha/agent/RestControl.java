package io.pgha.agent;

import io.pgha.agent.dcs.EtcdDcs;
import io.pgha.agent.rest.AgentControl;
import io.pgha.agent.rest.NodeTasks;
import io.pgha.agent.rest.RestReply;
import io.pgha.agent.rest.RestartRequest;
import io.pgha.config.AgentSettings;
import io.pgha.contract.Cluster;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent behind the REST write API: DCS reads and writes for the cluster endpoints, and node tasks that
 * run on the HA thread (so a restart or reinitialize never races a decision of the loop).
 */
final class RestControl implements AgentControl, NodeTasks {
    private static final Logger LOG = LoggerFactory.getLogger(RestControl.class);

    private final AgentSettings s;
    private final EtcdDcs dcs;
    private final HaLoop loop;
    private final ActionExecutor executor;
    private final String log;
    /** HA thread only. */
    private final RebuildWatch rebuild = new RebuildWatch();

    RestControl(AgentSettings s, EtcdDcs dcs, HaLoop loop, ActionExecutor executor) {
        this.s = s;
        this.dcs = dcs;
        this.loop = loop;
        this.executor = executor;
        this.log = "[" + s.scope() + "/" + s.name() + "] ";
    }

    @Override
    public String scope() {
        return s.scope();
    }

    @Override
    public String name() {
        return s.name();
    }

    @Override
    public Cluster readCluster() throws Exception {
        return dcs.read();
    }

    @Override
    public boolean compareAndSet(String key, String value, long modRevision) throws Exception {
        return dcs.putIfModRevision(key, value, modRevision);
    }

    @Override
    public void put(String key, String value) throws Exception {
        dcs.put(key, value);
    }

    @Override
    public void wakeUp() {
        loop.wake();
    }

    @Override
    public int loopWaitSeconds() {
        return loop.dynamicConfig().loopWait();
    }

    @Override
    public NodeTasks tasks() {
        return this;
    }

    // ------------------------------------------------------------------ node tasks

    @Override
    public RestReply restart(RestartRequest r) {
        if (r.scheduledAt() != null) {
            synchronized (this) {
                if (loop.scheduledRestart() != null) {
                    return RestReply.text(409, "Another restart is already scheduled");
                }
                loop.scheduleRestart(r);
            }
            LOG.info("{}restart scheduled at {}", log, java.time.Instant.ofEpochMilli(r.scheduledAt()));
            return RestReply.text(202, "Restart scheduled");
        }
        Duration timeout = Duration.ofSeconds(r.timeoutSeconds() == null ? 60 : r.timeoutSeconds());
        return onHaThread(() -> {
            Cluster c = loop.readClusterNow();
            LocalProbe.Result local = loop.probeNow();
            if (rebuilding(local)) {
                return RestReply.text(409, "reinitialize already in progress");
            }
            if (local.state().starting()) {
                return RestReply.text(503, "postgres is still starting");
            }
            String refusal = loop.restartRefusal(r, c, local);
            if (refusal != null) {
                LOG.info("{}restart refused: {}", log, refusal);
                return RestReply.text(503, "restart conditions are not satisfied");
            }
            LOG.info("{}restart requested through the REST API", log);
            boolean ok = executor.restart(c, local.state(), loop.dynamicConfig(), timeout);
            loop.recheckPendingRestart();
            return ok ? RestReply.text(200, "restarted successfully") : RestReply.text(503, "restart failed");
        }, timeout.plusSeconds(120));
    }

    @Override
    public synchronized RestReply cancelScheduledRestart() {
        if (loop.scheduledRestart() == null) {
            return RestReply.text(404, "no restarts are scheduled");
        }
        loop.scheduleRestart(null);
        LOG.info("{}scheduled restart deleted", log);
        return RestReply.text(200, "scheduled restart deleted");
    }

    @Override
    public RestReply reinitialize(boolean force) {
        return onHaThread(() -> {
            Cluster c = loop.readClusterNow();
            if (c == null) {
                return RestReply.text(503, "DCS is not accessible, can not reinitialize");
            }
            if (c.hasLeader(s.name())) {
                return RestReply.text(503, "I am the leader, can not reinitialize");
            }
            if (c.leader() == null) {
                return RestReply.text(503, "Cluster has no leader, can not reinitialize");
            }
            // force does not override this: wiping under a starting postmaster is what it guards against
            if (rebuilding(loop.probeNow())) {
                return RestReply.text(409, "reinitialize already in progress");
            }
            String busy = executor.transientState();
            if (busy != null && !force) {
                return RestReply.text(503, busy + " already in progress");
            }
            rebuild.wiped(); // first: a wipe that fails half-way leaves a directory to rebuild just the same
            executor.reinitialize();
            return RestReply.text(200, "reinitialize started");
        }, Duration.ofSeconds(90));
    }

    @Override
    public RestReply reload() {
        return onHaThread(() -> {
            Cluster c = loop.readClusterNow();
            LocalProbe.Result local = loop.probeNow();
            if (local.state().running()) {
                executor.reloadConfig(c, local.state(), loop.dynamicConfig());
                loop.recheckPendingRestart();
            }
            return RestReply.text(202, "reload scheduled");
        }, Duration.ofSeconds(30));
    }

    private boolean rebuilding(LocalProbe.Result local) {
        return rebuild.inProgress(local.state().dataDirEmpty(), local.state().running(), executor.startFailed());
    }

    /**
     * Runs {@code work} between two HA cycles and waits for its reply. A caller that gives up before the work
     * started withdraws it (a reinitialize must not run after its caller was told it did not); once started,
     * the work ends by itself (each of its steps has a deadline), and its outcome is waited for as long again.
     */
    private RestReply onHaThread(Callable<RestReply> work, Duration timeout) {
        AtomicBoolean claimed = new AtomicBoolean(); // by the HA thread starting it, or by the caller giving up
        CompletableFuture<RestReply> f = loop.submit(() -> claimed.compareAndSet(false, true) ? work.call() : null);
        RestReply reply = await(f, timeout);
        if (reply == null && claimed.compareAndSet(false, true)) {
            return RestReply.text(503, "the agent is busy: the request was not carried out, try again");
        }
        reply = reply != null ? reply : await(f, timeout);
        return reply != null ? reply : RestReply.text(503, "the request is still being carried out; see the agent's log");
    }

    /** The work's reply, or null when it did not end within {@code timeout}. */
    private RestReply await(CompletableFuture<RestReply> f, Duration timeout) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            LOG.error("{}REST task failed: {}", log, e.getCause().toString());
            return RestReply.text(503, "failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RestReply.text(503, "interrupted");
        }
    }

    @Override
    public boolean failsafeMode() {
        return loop.dynamicConfig().failsafeMode();
    }

    @Override
    public RestReply failsafe(com.fasterxml.jackson.databind.JsonNode body) {
        DynamicConfig dyn = loop.dynamicConfig();
        if (!dyn.failsafeMode()) {
            return RestReply.text(502, "Failsafe mode is not enabled");
        }
        io.pgha.agent.rest.NodeStatus st = loop.current();
        boolean primary = st.isRunning() && "master".equals(st.role());
        String refusal = loop.failsafe().accept(body, primary, dyn.ttl());
        // Patroni answers 500 to any refusal; its primaries, like ours, count only a 200 as a promise, so a refusal
        // for bad input can say what it is (400) and one for a running primary 409
        return refusal == null ? RestReply.text(200, "Accepted")
                : RestReply.text(refusal.equals(Failsafe.RUNNING_AS_LEADER) ? 409 : 400, refusal);
    }
}
