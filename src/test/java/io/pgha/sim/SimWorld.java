package io.pgha.sim;

import io.pgha.agent.SimulatedAgent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A whole simulated cluster: one {@link SimEtcd}, N members each with a {@link SimPostgres}, an etcd link and an
 * agent ({@link SimulatedAgent}, the real fence, DCS, failsafe and decision code), the network between members
 * (REST calls and streaming replication), and a client committing to every member that is a writable primary.
 * After every event it checks the safety invariants; {@link #liveness()} checks the end state.
 */
public final class SimWorld {
    public static final String SCOPE = "sim";
    public static final String PREFIX = "/service/" + SCOPE + "/";

    public final Scheduler sched;
    public final SimEtcd etcd;
    public final SimSettings settings;
    private final Map<String, SimPostgres> pgs = new LinkedHashMap<>();
    private final Map<String, SimEtcdKv.Link> links = new HashMap<>();
    private final Map<String, SimulatedAgent> agents = new LinkedHashMap<>();
    private final Set<String> cut = new HashSet<>();
    /** Acknowledged commits: record id -> the member that acknowledged it. */
    private final Map<Long, String> acked = new LinkedHashMap<>();
    private final Set<String> writableBefore = new HashSet<>();
    private long records;
    private long pids = 100;
    private String violation;
    private boolean syncModeSeen;

    public SimWorld(long seed, SimSettings settings, int members) {
        this.sched = new Scheduler(seed);
        this.settings = settings;
        this.etcd = new SimEtcd(sched, owner -> links.get(owner).down || links.get(owner).laggingAt > 0);
        for (int i = 1; i <= members; i++) {
            String name = "m" + i;
            pgs.put(name, new SimPostgres(name, this));
            links.put(name, new SimEtcdKv.Link());
        }
        for (String name : pgs.keySet()) {
            agents.put(name, new SimulatedAgent(this, name));
        }
        sched.afterEvent(this::check);
    }

    /** Puts the cluster's bootstrap config into etcd, starts the agents, the replication and the client. */
    public void start() {
        agents.values().forEach(SimulatedAgent::start);
        repeat(TimeUnit.MILLISECONDS.toNanos(50), this::replicateNow);
        repeat(TimeUnit.MILLISECONDS.toNanos(100), this::clientCommits);
    }

    private void repeat(long every, Runnable r) {
        sched.after(every, null, () -> {
            r.run();
            repeat(every, r);
        });
    }

    // ------------------------------------------------------------------ the parts

    public SimPostgres pg(String name) {
        return pgs.get(name);
    }

    public SimulatedAgent agent(String name) {
        return agents.get(name);
    }

    /** A new agent process in place of the old one (after a fence death: the container is restarted). */
    public SimulatedAgent restartAgent(String name) {
        agents.get(name).kill();
        SimulatedAgent a = new SimulatedAgent(this, name);
        agents.put(name, a);
        a.start();
        return a;
    }

    public SimEtcdKv.Link link(String name) {
        return links.get(name);
    }

    public List<String> names() {
        return List.copyOf(pgs.keySet());
    }

    long nextRecord() {
        return ++records;
    }

    long nextPid() {
        return ++pids;
    }

    // ------------------------------------------------------------------ network

    public void cut(String a, String b, boolean down) {
        String k = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        if (down) {
            cut.add(k);
        } else {
            cut.remove(k);
        }
    }

    public boolean reachable(String a, String b) {
        return !cut.contains(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a);
    }

    List<SimPostgres> standbysOf(String primary) {
        List<SimPostgres> out = new ArrayList<>();
        for (SimPostgres p : pgs.values()) {
            if (p.phase == SimPostgres.Phase.RUNNING && p.inRecovery && p.streaming && primary.equals(p.upstream)) {
                out.add(p);
            }
        }
        return out;
    }

    void replicateNow() {
        pgs.values().forEach(SimPostgres::replicate);
        pgs.values().forEach(SimPostgres::acknowledge);
    }

    private void clientCommits() {
        for (SimPostgres p : pgs.values()) {
            p.commit();
        }
    }

    void acknowledged(String member, long record) {
        acked.put(record, member);
    }

    public int acknowledgedCount() {
        return acked.size();
    }

    // ------------------------------------------------------------------ invariants

    public String violation() {
        return violation;
    }

    private void fail(String what) {
        if (violation == null) {
            violation = what;
            sched.note("INVARIANT VIOLATED: " + what);
        }
    }

    /** After every event: (a) at most one member can acknowledge a commit; (b) in synchronous mode a new primary holds every acknowledged commit. */
    private void check() {
        List<String> writable = new ArrayList<>();
        for (SimPostgres p : pgs.values()) {
            if (p.writable()) {
                writable.add(p.name);
            }
        }
        if (writable.size() > 1) {
            fail("(a) two members can acknowledge commits at once: " + writable);
        }
        boolean sync = settings.synchronousMode();
        for (String w : writable) {
            if (!writableBefore.contains(w) && sync) {
                SimPostgres p = pgs.get(w);
                for (Map.Entry<Long, String> e : acked.entrySet()) {
                    if (!p.holds(e.getKey())) {
                        fail("(b) " + w + " became primary without commit " + e.getKey() + " acknowledged by " + e.getValue());
                        break;
                    }
                }
            }
        }
        writableBefore.clear();
        writableBefore.addAll(writable);
    }

    /**
     * (c) The cluster has healed: one member holds the leader key and runs a writable primary, every other member
     * runs a standby streaming from it. Null when it holds, else what does not.
     */
    public String liveness() {
        String leader = etcd.get(PREFIX + "leader");
        if (leader == null) {
            return "no leader key";
        }
        SimPostgres lp = pgs.get(leader);
        if (!lp.running() || lp.inRecovery()) {
            return "leader " + leader + " runs no primary (" + lp.phase() + ")";
        }
        for (SimPostgres p : pgs.values()) {
            if (p != lp && !(p.running() && p.inRecovery() && p.streaming() && leader.equals(p.upstream()))) {
                return p.name + " does not stream from " + leader + " (" + p.phase() + ", recovery " + p.inRecovery()
                        + ", upstream " + p.upstream() + ", streaming " + p.streaming() + ")";
            }
        }
        return null;
    }
}
