package io.pgha.sim;

import io.pgha.contract.DcsKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A randomized schedule, fixed by its seed: cluster settings (synchronous, strict, failsafe mode), then a few
 * dozen faults at random moments of the first ~35 s, each healed after a random time: etcd links cut, slow,
 * lossy or served by a lagging member; etcd down for everyone; network partitions between members; a member
 * isolated; SIGSTOP and GC pauses of an agent; PostgreSQL crashes, immediate checkpoints, slow exits after
 * SIGQUIT; a dead fence thread (healed by restarting the agent); a stalled watchdog; an agent killed and
 * restarted under a running PostgreSQL; switchover requests. Then the cluster must heal within
 * {@link #LIVENESS_BOUND_NANOS} of the last fault's end.
 */
public final class RandomSchedule {
    public static final long LIVENESS_BOUND_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int KINDS = 16;

    public record Result(long seed, String violation, String liveness, long events, long virtualNanos, int acknowledged,
                         List<String> faults, String trace) {
        public boolean ok() {
            return violation == null && liveness == null;
        }

        public String report() {
            return "seed " + seed + ": " + (violation != null ? violation : "no liveness: " + liveness) + "\nfaults: " + faults
                    + "\nlast events:\n" + trace;
        }
    }

    private final long seed;
    private final Random r;
    private final SimWorld w;
    private final List<String> names;
    private final Map<String, Integer> etcdCuts = new HashMap<>();
    private final List<String> faults = new ArrayList<>();
    private final Map<String, List<long[]>> frozen = new HashMap<>();
    private long lastHeal;

    private RandomSchedule(long seed) {
        this.seed = seed;
        this.r = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        SimSettings st = SimSettings.defaults();
        if (r.nextInt(2) == 0) {
            st = st.sync(r.nextInt(4) == 0);
        }
        if (r.nextInt(3) == 0) {
            st = st.failsafe();
        }
        this.w = new SimWorld(seed, st, 3);
        this.names = w.names();
    }

    public static Result run(long seed) {
        RandomSchedule s = new RandomSchedule(seed);
        return s.play(4 + s.r.nextInt(20));
    }

    private Result play(int count) {
        w.start();
        faults.add(w.settings.configJson());
        for (int i = 0; i < count; i++) {
            plan(secs(4 + r.nextDouble() * 30));
        }
        w.sched.runUntil(lastHeal);
        long deadline = lastHeal + LIVENESS_BOUND_NANOS;
        String live = w.liveness();
        while (w.violation() == null && live != null && w.sched.now() < deadline) {
            w.sched.advance(TimeUnit.MILLISECONDS.toNanos(500));
            live = w.liveness();
        }
        if (System.getProperty("sim.dump") != null) {
            for (String k : new String[] {"leader", "failover", "sync", "history", "status"}) {
                w.sched.note("etcd " + k + " = " + w.etcd.get(SimWorld.PREFIX + k));
            }
        }
        return new Result(seed, w.violation(), live, w.sched.events(), w.sched.now(), w.acknowledgedCount(), faults,
                w.violation() != null || live != null ? w.sched.trace() : null);
    }

    private static long secs(double s) {
        return (long) (s * 1e9);
    }

    private String member() {
        return names.get(r.nextInt(names.size()));
    }

    private void at(long t, String what, Runnable action) {
        w.sched.at(t, "FAULT " + what, action);
        faults.add(String.format("%.2f %s", t / 1e9, what));
    }

    private void healAt(long t, String what, Runnable action) {
        w.sched.at(t, "HEAL " + what, action);
        lastHeal = Math.max(lastHeal, t);
    }

    /** Whether a frozen watchdog and a frozen agent of {@code m} would overlap: the known gap of §9, not scheduled. */
    private boolean bothFrozen(String m, String kind, long from, long to) {
        List<long[]> other = frozen.computeIfAbsent(m + (kind.equals("agent") ? "/watchdog" : "/agent"), k -> new ArrayList<>());
        for (long[] iv : other) {
            if (iv[0] < to + secs(1) && from < iv[1] + secs(1)) {
                return true;
            }
        }
        frozen.computeIfAbsent(m + "/" + kind, k -> new ArrayList<>()).add(new long[] {from, to});
        return false;
    }

    private void etcdCut(String m, int delta) {
        int n = etcdCuts.merge(m, delta, Integer::sum);
        w.link(m).down = n > 0;
    }

    private void plan(long t) {
        String m = member();
        long d = secs(1 + r.nextDouble() * 11);
        lastHeal = Math.max(lastHeal, t);
        switch (r.nextInt(KINDS)) {
            case 0 -> {
                at(t, m + " cut from etcd for " + d / 1_000_000 + " ms", () -> etcdCut(m, 1));
                healAt(t + d, m + " etcd link back", () -> etcdCut(m, -1));
            }
            case 1 -> {
                long extra = TimeUnit.MILLISECONDS.toNanos(100 + r.nextInt(2400));
                at(t, m + " etcd slow by " + extra / 1_000_000 + " ms", () -> w.link(m).extraLatencyNanos = extra);
                healAt(t + d, m + " etcd fast again", () -> w.link(m).extraLatencyNanos = 0);
            }
            case 2 -> {
                double p = 0.2 + r.nextDouble() * 0.5;
                at(t, m + " etcd loses answers p=" + p, () -> w.link(m).loseAnswers = p);
                healAt(t + d, m + " etcd answers again", () -> w.link(m).loseAnswers = 0);
            }
            case 3 -> {
                at(t, m + " reads from a lagging etcd member", () -> {
                    if (w.link(m).laggingAt == 0) {
                        w.link(m).laggingAt = w.etcd.revision();
                    }
                });
                healAt(t + d, m + " etcd member caught up", () -> w.link(m).laggingAt = 0);
            }
            case 4 -> {
                at(t, "etcd down for everyone", () -> names.forEach(n -> etcdCut(n, 1)));
                healAt(t + d, "etcd back", () -> names.forEach(n -> etcdCut(n, -1)));
            }
            case 5 -> {
                String o = other(m);
                at(t, "network partition " + m + " | " + o, () -> w.cut(m, o, true));
                healAt(t + d, "partition " + m + " | " + o + " healed", () -> w.cut(m, o, false));
            }
            case 6 -> {
                at(t, m + " isolated", () -> {
                    etcdCut(m, 1);
                    names.stream().filter(n -> !n.equals(m)).forEach(n -> w.cut(m, n, true));
                });
                healAt(t + d, m + " rejoins the network", () -> {
                    etcdCut(m, -1);
                    names.stream().filter(n -> !n.equals(m)).forEach(n -> w.cut(m, n, false));
                });
            }
            case 7 -> {
                if (!bothFrozen(m, "agent", t, t + d)) {
                    at(t, m + " agent SIGSTOPped for " + d / 1_000_000 + " ms", () -> w.agent(m).freeze(d));
                }
            }
            case 8 -> {
                long gc = TimeUnit.MILLISECONDS.toNanos(100 + r.nextInt(2400));
                if (!bothFrozen(m, "agent", t, t + gc)) {
                    at(t, m + " GC pause " + gc / 1_000_000 + " ms", () -> w.agent(m).freeze(gc));
                }
            }
            case 9 -> at(t, m + " PostgreSQL crashes", () -> w.pg(m).kill());
            case 10 -> {
                long ck = TimeUnit.MILLISECONDS.toNanos(200 + r.nextInt(2800));
                at(t, m + " immediate checkpoint " + ck / 1_000_000 + " ms", () -> w.pg(m).checkpoint(ck));
            }
            case 11 -> {
                long slow = TimeUnit.MILLISECONDS.toNanos(100 + r.nextInt(1900));
                at(t, m + " PostgreSQL exits slowly after SIGQUIT (" + slow / 1_000_000 + " ms)", () -> w.pg(m).quitExitNanos = slow);
                healAt(t + d, m + " PostgreSQL exits promptly", () -> w.pg(m).quitExitNanos = TimeUnit.MILLISECONDS.toNanos(30));
            }
            case 12 -> {
                at(t, m + " fence thread dies", () -> w.agent(m).fenceDead = true);
                healAt(t + d, m + " agent restarted (liveness probe)", () -> w.restartAgent(m));
            }
            case 13 -> {
                if (bothFrozen(m, "watchdog", t, t + d)) {
                    return;
                }
                at(t, m + " watchdog stalls", () -> w.agent(m).stallWatchdog(true));
                healAt(t + d, m + " watchdog runs again", () -> w.agent(m).stallWatchdog(false));
            }
            case 14 -> {
                long down = secs(0.5 + r.nextDouble() * 4);
                if (bothFrozen(m, "agent", t, t + down)) {
                    return;
                }
                at(t, m + " agent process killed", () -> w.agent(m).kill());
                healAt(t + down, m + " agent process started again", () -> w.restartAgent(m));
            }
            default -> {
                boolean named = r.nextBoolean();
                at(t, "switchover" + (named ? " to " + m : "") + " requested", () -> {
                String leader = w.etcd.get(SimWorld.PREFIX + DcsKeys.LEADER);
                if (leader != null && !leader.equals(m)) {
                    try {
                        w.etcd.put(SimWorld.PREFIX + DcsKeys.FAILOVER, "{\"leader\":\"" + leader + "\""
                                + (named ? ",\"member\":\"" + m + "\"}" : "}"));
                    } catch (io.pgha.agent.dcs.DcsException e) {
                        throw new IllegalStateException(e);
                    }
                }
                });
            }
        }
    }

    private String other(String m) {
        List<String> o = new ArrayList<>(names);
        o.remove(m);
        return o.get(r.nextInt(o.size()));
    }
}
