package io.pgha.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.EtcdDcs;
import io.pgha.agent.dcs.LeaderLease;
import io.pgha.agent.ha.Action;
import io.pgha.agent.ha.Decision;
import io.pgha.agent.ha.HaDecider;
import io.pgha.agent.ha.HaInput;
import io.pgha.agent.ha.HaSettings;
import io.pgha.agent.ha.LocalState;
import io.pgha.agent.ha.Peer;
import io.pgha.agent.postgres.PostmasterControl;
import io.pgha.config.AgentSettings;
import io.pgha.config.AgentSettingsLoader;
import io.pgha.contract.Cluster;
import io.pgha.contract.DcsKeys;
import io.pgha.contract.Member;
import io.pgha.sim.Scheduler;
import io.pgha.sim.SimEtcdKv;
import io.pgha.sim.SimPostgres;
import io.pgha.sim.SimWorld;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One agent in the simulation. REAL production code: {@link EtcdDcs} (lease, leader key, authority, stale-read
 * rule, on a simulated etcd through {@link SimEtcdKv}), {@link Fence} (driven by the scheduler through
 * {@link Fence#runTick}), {@link Failsafe}, {@link SyncReplication} with SyncPlanner and SsnApplied, and the
 * whole decision ({@link HaDecider}, SafetyFaultRule, Healthiest, ManualFailover). MODELLED here: the order of
 * HaLoop.cycle (observe, decide, act, publish, copied step by step) and the actions of ActionExecutor
 * ({@link SimulatedActions}), LocalProbe, the leader duties but slots, and the REST calls between members.
 * Its two threads are events: a cycle (every loop_wait, 200 ms while busy, at once when woken) and a fence
 * tick every 100 ms. SIGSTOP or a GC pause stops both; a blocked etcd call returns only once it runs again.
 */
public final class SimulatedAgent {
    static final long EPOCH_MILLIS = 1_800_000_000_000L;
    private static final Map<String, AgentSettings> SETTINGS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    final SimWorld world;
    final Scheduler sched;
    final String name;
    final String log;
    final AgentSettings s;
    final SimPostgres pg;
    final EtcdDcs dcs;
    final Fence fence;
    final SimWatchdog watchdog;
    final Failsafe failsafe;
    final SyncReplication sync;
    final SimulatedActions actions;
    DynamicConfig dyn;
    private long lastConfigRevision = Long.MIN_VALUE;
    private long gen;
    private boolean inCycle;
    private boolean woken;
    private boolean killed;
    private long frozenUntil;
    /** The fence thread is dead: its ticks stop (the schedule's fault). */
    public boolean fenceDead;
    private boolean lastKnownPaused;
    private boolean lastKnownLeader;
    private boolean watching;
    private String lastDecision;
    String safetyFault;
    Cluster lastCluster;

    /** Thrown out of a call in progress when the agent's process is killed; ends that cycle. */
    static final class Killed extends RuntimeException {
        Killed() {
            super(null, null, false, false);
        }
    }

    public SimulatedAgent(SimWorld world, String name) {
        this.world = world;
        this.sched = world.sched;
        this.name = name;
        this.log = "[" + SimWorld.SCOPE + "/" + name + "] ";
        this.s = SETTINGS.computeIfAbsent(name, SimulatedAgent::settings);
        this.pg = world.pg(name);
        this.dcs = new EtcdDcs(new SimEtcdKv(sched, world.etcd, name, world.link(name), this::waitWhileFrozen),
                new DcsKeys("/service/", SimWorld.SCOPE), name, SimWorld.SCOPE, world.settings.ttl(), sched::now);
        LeaderLease authority = world.settings.fenceTrustsAnyLease() ? dcs::leaseValidUntilNanos : dcs;
        this.fence = new Fence(authority, new Postmaster(), sched::now, this::wake, log);
        this.watchdog = new SimWatchdog(sched, pg, name, world.settings.watchdogKillsLate());
        fence.watchdog(watchdog);
        this.failsafe = new Failsafe(s, dcs, this::postFailsafe, fence, log, sched::now);
        this.sync = new SyncReplication(name, dcs, pg.initialized() && !pg.inRecovery() ? blankToNull(pg.ssnWritten()) : null, log,
                sched::now);
        this.dyn = DynamicConfig.from(parse(world.settings.configJson()));
        this.actions = new SimulatedActions(this);
        applyTiming();
    }

    private static String blankToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static AgentSettings settings(String name) {
        int n = Integer.parseInt(name.substring(1));
        String yaml = """
                scope: sim
                name: %s
                restapi:
                  listen: 10.0.0.%d:8008
                  authentication: {username: u, password: p}
                etcd3:
                  hosts: 10.0.0.100:2379
                postgresql:
                  listen: 10.0.0.%d:5432
                  data_dir: /nonexistent/sim/%s
                  bin_dir: /nonexistent/bin
                  authentication:
                    superuser: {username: postgres, password: su}
                    replication: {username: replicator, password: rep}
                """.formatted(name, n, n, name);
        try {
            return new AgentSettingsLoader(Map.of()).parse((ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    // ------------------------------------------------------------------ the process

    public void start() {
        scheduleCycle(TimeUnit.MILLISECONDS.toNanos(sched.random().nextInt(1000)));
        tickLater(TimeUnit.MILLISECONDS.toNanos(sched.random().nextInt(100)));
    }

    private void tickLater(long delay) {
        sched.after(delay, null, () -> {
            if (killed) {
                return;
            }
            if (!frozen() && !fenceDead) {
                fence.runTick();
            }
            tickLater(Fence.TICK_NANOS);
        });
    }

    private void scheduleCycle(long delay) {
        long g = ++gen;
        sched.after(delay, null, () -> {
            if (g == gen) {
                runCycle();
            }
        });
    }

    void wake() {
        if (killed) {
            return;
        }
        if (inCycle) {
            woken = true;
        } else if (!frozen()) {
            scheduleCycle(0);
        }
    }

    public boolean frozen() {
        return sched.now() < frozenUntil;
    }

    /** SIGSTOP (or a GC pause) for {@code nanos}: the HA loop and the fence stop; the watchdog does not. */
    public void freeze(long nanos) {
        frozenUntil = Math.max(frozenUntil, sched.now() + nanos);
    }

    public void kill() {
        killed = true;
    }

    public boolean killed() {
        return killed;
    }

    /** A blocking call's answer reaches a frozen agent only once it runs again; a killed one never. */
    void waitWhileFrozen() {
        while (!killed && frozen()) {
            sched.advance(frozenUntil - sched.now());
        }
        if (killed) {
            throw new Killed();
        }
    }

    private void runCycle() {
        if (killed) {
            return;
        }
        if (sched.nested()) {
            long g = gen;
            sched.whenUnwound(() -> {
                if (g == gen) {
                    runCycle();
                }
            });
            return;
        }
        if (frozen()) {
            scheduleCycle(frozenUntil - sched.now());
            return;
        }
        long start = sched.now();
        boolean busy;
        inCycle = true;
        woken = false;
        try {
            busy = cycle();
        } catch (Killed k) {
            return;
        } catch (DcsException | RuntimeException e) {
            sched.note(name + ": HA cycle failed: " + e);
            busy = true;
        } finally {
            inCycle = false;
        }
        long wait = woken ? 0 : busy ? TimeUnit.MILLISECONDS.toNanos(pg.phase() == SimPostgres.Phase.STARTING ? 50 : 200)
                : Math.max(0, TimeUnit.SECONDS.toNanos(dyn.loopWait()) - (sched.now() - start));
        scheduleCycle(wait);
    }

    // ------------------------------------------------------------------ one cycle, in HaLoop.cycle's order

    private boolean cycle() throws DcsException {
        Cluster c = readCluster();
        LocalState local = actions.probe();
        if (world.settings.pauseDisarmsFence() && (c != null ? c.paused() : lastKnownPaused)) {
            fence.primaryActive(false); // hole 10 before its fix: maintenance mode disarmed the fence and the watchdog
        } else if (local.isRunningPrimary() || (local.starting() && local.wasPrimary())) {
            fence.primaryActive(true);
        } else if (!local.running() && !local.starting() || local.inRecovery()) {
            fence.primaryActive(false);
        }
        boolean renewed = false;
        boolean renewalUnanswered = false;
        if (c != null && c.hasLeader(name)) {
            try {
                renewed = dcs.refreshLeader();
            } catch (DcsException e) {
                renewalUnanswered = true;
            }
        }
        long nowMillis = EPOCH_MILLIS + sched.nowMillis();
        Map<String, Peer> peers = needsPeers(c, local) ? fetchPeers(c) : Map.of();
        HaSettings hs = new HaSettings(name, false, dyn.maximumLagOnFailover(), dyn.checkTimeline(), dyn.usePgRewind(),
                dyn.loopWait() * 1000L, dyn.sync().mode(), dyn.failsafeMode());
        if (c != null) {
            lastKnownPaused = c.paused();
        }
        boolean failsafeConfirmed = (c == null || renewalUnanswered) && local.isRunningPrimary() && failsafe.confirm(dyn);
        if (c != null) {
            lastKnownLeader = c.hasLeader(name);
        }
        boolean keyMayBeOurs = c == null ? lastKnownLeader : renewalUnanswered;
        long slack = keyMayBeOurs ? fence.slackMillis(TimeUnit.SECONDS.toNanos(dyn.loopWait())) : 0;
        safetyFault = fence.fault();
        Decision d = HaDecider.decide(new HaInput(c, local, hs, renewed, peers, nowMillis, lastKnownPaused, failsafeConfirmed,
                failsafe.promiseInForce(dyn), slack, safetyFault));
        if (!d.toString().equals(lastDecision)) {
            sched.note(name + ": " + d);
            lastDecision = d.toString();
        }
        actions.execute(d, c, local);
        if (d.action() != Action.NONE) {
            local = actions.probe();
            c = d.action() == Action.ACQUIRE_LOCK || d.action() == Action.PROMOTE || d.action() == Action.BOOTSTRAP
                    || d.action() == Action.RELEASE_LOCK || d.action() == Action.SWITCHOVER ? readCluster() : c;
        }
        if (actions.takePromoted() && c != null) {
            actions.afterPromote(c);
            local = actions.probe();
        }
        boolean dcsWritable = c != null && !renewalUnanswered;
        if (dcsWritable) {
            failsafe.dcsWorks();
        }
        if (dcsWritable && c.hasLeader(name) && pg.running() && !pg.inRecovery()) {
            dcs.keepLeaseFresh();
            failsafe.publish(c, dyn);
            dcs.keepLeaseFresh();
            actions.leaderDuties(c);
        }
        if (dcsWritable) {
            dcs.keepLeaseFresh();
            try {
                dcs.touchMember(actions.memberData(c, local));
            } catch (DcsException e) {
                sched.note(name + ": could not publish the member key: " + e.getMessage());
            }
        }
        return d.action() != Action.NONE || local.starting() || (!local.running() && !local.dataDirEmpty());
    }

    Cluster readCluster() {
        try {
            Cluster c = dcs.read();
            failsafe.seen(c);
            long rev = c.config() != null ? c.configModRevision() : -1;
            if (rev != lastConfigRevision) {
                lastConfigRevision = rev;
                DynamicConfig next = DynamicConfig.from(c.config() != null ? c.config() : parse(world.settings.configJson()));
                if (!next.equals(dyn)) {
                    dyn = next;
                    applyTiming();
                }
            }
            if (!watching) {
                watching = true;
                dcs.watch(c.revision(), what -> {
                    if (!what.startsWith("status")) {
                        wake();
                    }
                }, () -> watching = false);
            }
            lastCluster = c;
            return c;
        } catch (DcsException e) {
            return null;
        }
    }

    /** HaLoop.applyTiming. */
    private void applyTiming() {
        dcs.setTiming(dyn.ttl(), java.time.Duration.ofSeconds(dyn.retryTimeout()));
        fence.margin(TimeUnit.MILLISECONDS.toNanos(Math.max(500, Math.min(dyn.loopWait() * 1000L, dyn.ttl() * 250L))));
    }

    private boolean needsPeers(Cluster c, LocalState local) {
        if (c == null || !local.running()) {
            return false;
        }
        io.pgha.agent.ha.FailoverRequest f = io.pgha.agent.ha.FailoverRequest.from(c.failover());
        if (c.isUnlocked()) {
            return local.inRecovery() && (f == null || !name.equals(f.candidate()));
        }
        return c.hasLeader(name) && f != null;
    }

    /** Can {@code other}'s REST API answer us now? A frozen or dead agent answers nothing (a 1 s timeout). */
    private boolean answers(SimulatedAgent other) {
        return other != null && !other.killed && !other.frozen() && world.reachable(name, other.name);
    }

    private Map<String, Peer> fetchPeers(Cluster c) {
        Map<String, Peer> out = new HashMap<>();
        boolean timedOut = false;
        for (Member m : c.members().values()) {
            if (m.name().equals(name) || m.apiUrl() == null) {
                continue;
            }
            SimulatedAgent other = world.agent(m.name());
            boolean ok = answers(other);
            timedOut |= !ok && (other == null || other.killed || other.frozen());
            SimPostgres p = world.pg(m.name());
            boolean primary = p.running() && !p.inRecovery();
            out.put(m.name(), new Peer(m.name(), ok && other.safetyFault == null, ok && primary, ok ? p.lsn() : 0, false,
                    ok ? p.timeline() : 0));
        }
        sched.advance(timedOut ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.MILLISECONDS.toNanos(2));
        waitWhileFrozen();
        return out;
    }

    private Map<String, Boolean> postFailsafe(Map<String, String> urls, String body, String auth) {
        Map<String, Boolean> out = new HashMap<>();
        com.fasterxml.jackson.databind.node.ObjectNode b = (com.fasterxml.jackson.databind.node.ObjectNode) parse(body);
        if (world.settings.failsafeOwnTtl()) {
            b.remove("ttl"); // hole 9 before its fix: the standby promised its own ttl only
        }
        boolean timedOut = false;
        for (String other : urls.keySet()) {
            SimulatedAgent a = world.agent(other);
            boolean ok = answers(a);
            timedOut |= !ok;
            out.put(other, ok && a.failsafe.accept(b, a.pg.running() && !a.pg.inRecovery(), a.dyn.ttl()) == null);
        }
        sched.advance(timedOut ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.MILLISECONDS.toNanos(2));
        waitWhileFrozen();
        sched.note(name + ": POST /failsafe answers " + out);
        return out;
    }

    /** POST /restart as RestControl runs it: the cluster read now, then ActionExecutor.restart. */
    public boolean restApiRestart() {
        return actions.restart(readCluster());
    }

    /** A frozen watchdog script: it acts on nothing, and a command left unsent for 1 s is a fault. */
    public void stallWatchdog(boolean stalled) {
        if (stalled) {
            watchdog.stalled = true;
        } else {
            watchdog.unstall();
        }
    }

    /** The agent's DCS (tests drive a renewal at a chosen moment). */
    public io.pgha.agent.dcs.Dcs dcs() {
        return dcs;
    }

    public String safetyFault() {
        return safetyFault;
    }

    private final class Postmaster implements PostmasterControl {
        @Override
        public long postmasterPid() {
            return pg.pid();
        }

        @Override
        public boolean quitNow() {
            return pg.quit();
        }

        @Override
        public void killNow() {
            pg.kill();
        }

        @Override
        public int killOrphans(java.time.Duration wait) {
            return 0; // a SIGKILLed postmaster leaves no children in this model
        }
    }
}
