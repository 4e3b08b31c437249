package io.pgha.agent;

import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.EtcdDcs;
import io.pgha.agent.kube.PodIdentity;
import io.pgha.agent.kube.PodLabeler;
import io.pgha.agent.postgres.PgSession;
import io.pgha.agent.postgres.Postgres;
import io.pgha.agent.rest.AccessCheck;
import io.pgha.agent.rest.ClusterRoutes;
import io.pgha.agent.rest.MetricsText;
import io.pgha.agent.rest.NodeRoutes;
import io.pgha.agent.rest.PeerClient;
import io.pgha.agent.rest.PemTls;
import io.pgha.agent.rest.RestApi;
import io.pgha.agent.rest.RestReply;
import io.pgha.config.AgentSettings;
import io.pgha.contract.DcsKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one agent (DCS, PostgreSQL control, HA loop, fence, REST API) and runs it until SIGTERM.
 * On a clean shutdown the primary stops PostgreSQL (fast mode: clients are disconnected and the final WAL
 * reaches the streaming standbys) and only then deletes its leader key, so a standby can take over at once
 * instead of waiting for the lease to expire.
 */
public final class AgentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);

    private final AgentSettings s;
    private final String log;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitCode;

    private final PodIdentity pod;

    public AgentRunner(AgentSettings settings) {
        this(settings, null);
    }

    /** @param pod the agent's own pod when it runs in Kubernetes (it then labels the pod with its role), else null */
    public AgentRunner(AgentSettings settings, PodIdentity pod) {
        this.pod = pod;
        this.s = settings;
        this.log = "[" + settings.scope() + "/" + settings.name() + "] ";
    }

    public int run() throws IOException {
        DynamicConfig boot = DynamicConfig.from(s.bootstrapDcs());
        EtcdDcs dcs = new EtcdDcs(s.etcdHosts(), s.etcdTls(), new DcsKeys(s.namespace(), s.scope()), s.name(), s.scope(), boot.ttl(),
                Duration.ofSeconds(boot.retryTimeout()));
        Postgres pg = new Postgres(s);
        PgSession session = new PgSession(s);
        HaLoop[] loopRef = new HaLoop[1];
        Fence fence = new Fence(dcs, pg, () -> loopRef[0].wake(), log);
        fence.watchdog(ExternalWatchdog.start(s.scope() + "/" + s.name(), watchdogDevice(), log));
        SyncReplication sync = new SyncReplication(s.name(), dcs, pg, log);
        LeaderDuties duties = new LeaderDuties(s, dcs, pg, session, sync);
        PeerClient peers = peerClient(s);
        ActionExecutor executor = new ActionExecutor(s, dcs, pg, session, fence, peers, sync);
        HaLoop loop = new HaLoop(s, dcs, new LocalProbe(pg, session), executor, duties, fence, peers);
        loopRef[0] = loop;
        PgSession restSession = new PgSession(s, "pgha-rest");
        loop.restSession(restSession);
        if (pod != null) {
            loop.podLabeler(new PodLabeler(pod, log));
        }
        loop.applyTiming();
        AgentSettings.Tls tls = s.restapi().tls();
        RestApi rest = tls == null ? new RestApi(s.restapi().listen().host(), s.restapi().listen().port(), loop)
                : new RestApi(s.restapi().listen().host(), s.restapi().listen().port(), loop,
                        PemTls.serverContext(tls.certFile(), tls.keyFile(), tls.keyPassword(), tls.caFile()), tls.verifyClient());
        RestControl control = new RestControl(s, dcs, loop, executor);
        new ClusterRoutes(control, new ServerGucCatalog(s, log)).register(rest);
        new NodeRoutes(control, loop).register(rest);
        rest.route("GET", "metrics", req -> new RestReply(200, "text/plain; version=0.0.4; charset=utf-8",
                MetricsText.render(loop.current(), loop.counters(), System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8)));
        AgentSettings.Login auth = s.restapi().authentication();
        if (auth == null) { // only with an explicit restapi.authentication: none (AgentSettingsLoader)
            LOG.warn("{}SECURITY: restapi.authentication is none: anyone who reaches {} can switch over, restart, "
                    + "reinitialize and reconfigure this cluster", log, s.restapi().listen());
        }
        rest.accessCheck(new AccessCheck(auth == null ? null : auth.username(), auth == null ? null : auth.password(),
                s.restapi().allowlist()));
        rest.start();
        fence.start();
        LOG.info("{}agent started: REST API on {}, etcd {}, data directory {}", log, s.restapi().listen(), s.etcdHosts(),
                s.postgresql().dataDir());

        Thread haThread = new Thread(() -> {
            try {
                loop.run();
            } catch (ActionExecutor.FatalError e) {
                LOG.error("{}stopping: {}", log, e.getMessage());
                exitCode = 1;
            } finally {
                finished.countDown();
            }
        }, "pgha-ha-loop");
        Thread hook = new Thread(() -> shutdown(loop, haThread, pg, dcs, rest, fence, session), "pgha-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        haThread.start();
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exitCode != 0) {
            Runtime.getRuntime().removeShutdownHook(hook);
            try {
                // no PostgreSQL may outlive its agent as a possible primary: stop it before the lease goes
                if (pg.postmasterPid() > 0 && !pg.stop("fast", Duration.ofSeconds(30)) && !pg.stop("immediate", Duration.ofSeconds(10))) {
                    pg.killNow();
                }
                dcs.revokeLease(); // our member key (and a leader key, if any) must not outlive us by ttl
            } catch (IOException | DcsException e) {
                LOG.warn("{}could not revoke the lease on exit: {}", log, e.getMessage());
            }
            fence.close();
            rest.close();
            dcs.close();
        }
        return exitCode;
    }

    /** The Linux watchdog device to use besides the external watchdog process, or null (watchdog.mode). */
    private String watchdogDevice() throws IOException {
        AgentSettings.Watchdog w = s.watchdog() == null ? AgentSettings.Watchdog.AUTOMATIC : s.watchdog();
        if (w.mode().equals("off")) {
            return null;
        }
        boolean usable = java.nio.file.Files.isWritable(java.nio.file.Path.of(w.device()));
        if (!usable && w.mode().equals("required")) {
            throw new IOException("watchdog.mode is required but " + w.device() + " cannot be opened for writing");
        }
        if (!usable) {
            LOG.info("{}no watchdog device at {}: the external watchdog process alone fences PostgreSQL", log, w.device());
        }
        return usable ? w.device() : null;
    }

    /** Peers are asked over HTTPS when their api_url says so; our cafile (if any) is what we trust them by. */
    private static PeerClient peerClient(AgentSettings s) throws IOException {
        AgentSettings.Tls tls = s.restapi().tls();
        return tls != null && tls.caFile() != null
                ? new PeerClient(Duration.ofSeconds(1), PemTls.clientContext(tls.caFile()).getSocketFactory())
                : new PeerClient(Duration.ofSeconds(1));
    }

    private void shutdown(HaLoop loop, Thread haThread, Postgres pg, EtcdDcs dcs, RestApi rest, Fence fence, PgSession session) {
        LOG.info("{}shutting down", log);
        loop.stop();
        try {
            haThread.join(TimeUnit.SECONDS.toMillis(5));
            if (haThread.isAlive()) {
                haThread.interrupt(); // a clone or rewind in progress is abandoned, its program killed
                haThread.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
        try {
            // a clean stop writes a shutdown checkpoint that can outlast ttl: keep the lease (and with it the
            // leader key) alive meanwhile, or the fence would turn the clean handover into a crash
            boolean stopped = new LeaseKeeper(dcs, log).during("clean stop", () -> pg.stopFast(Duration.ofSeconds(60)))
                    || pg.stop("immediate", Duration.ofSeconds(30));
            if (!stopped) {
                pg.killNow();
                stopped = pg.postmasterPid() < 0;
            }
            if (!stopped) {
                // keep the lease and the fence: the lease runs out by itself; nobody may take over before
                LOG.error("{}PostgreSQL did not stop: leaving the leader key to expire with our lease", log);
                return;
            }
            fence.primaryActive(false);
            rest.close(); // peers must not see us as a live primary once the key is gone
            if (dcs.releaseLeader()) {
                LOG.info("{}PostgreSQL stopped cleanly; leader key released for a standby to take over", log);
            }
            dcs.revokeLease();
        } catch (IOException | java.sql.SQLException | DcsException e) {
            LOG.error("{}error during shutdown: {}", log, e.getMessage());
        } finally {
            fence.close();
            rest.close();
            dcs.close();
            LOG.info("{}agent stopped", log);
        }
    }
}
