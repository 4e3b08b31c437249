package io.pgha.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.contract.DcsKeys;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-written schedules for the holes of issue 11 that were fixed on main (docs/ha-protocol.md names each).
 * Each runs twice: with the pre-fix behaviour brought back in the simulated part ({@link SimSettings.PreFix})
 * it must break invariant (a), and as the code is now it must keep every invariant and heal.
 */
class HoleSchedulesTest {
    private static java.io.PrintStream err;

    @BeforeAll
    static void quiet() {
        err = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())); // the agents' own log lines
    }

    @AfterAll
    static void loud() {
        System.setErr(err);
    }

    private static long s(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** A formed cluster of three (bootstrap, two clones), its leader, at 10 s. */
    private static SimWorld formed(long seed, SimSettings settings) {
        SimWorld w = new SimWorld(seed, settings, 3);
        w.start();
        w.sched.runUntil(s(10));
        assertThat(w.liveness()).as("formed cluster").isNull();
        return w;
    }

    private static String leader(SimWorld w) {
        return w.etcd.get(SimWorld.PREFIX + DcsKeys.LEADER);
    }

    private static String other(SimWorld w, String not) {
        return w.names().stream().filter(n -> !n.equals(not)).findFirst().orElseThrow();
    }

    private static void healsWithin(SimWorld w, double seconds) {
        long until = w.sched.now() + s(seconds);
        while (w.liveness() != null && w.sched.now() < until) {
            w.sched.advance(s(0.5));
        }
        assertThat(w.liveness()).as("liveness; trace:\n%s", w.sched.trace()).isNull();
    }

    private static void put(SimWorld w, String key, String value) {
        try {
            w.etcd.put(SimWorld.PREFIX + key, value);
        } catch (io.pgha.agent.dcs.DcsException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ hole 3

    /**
     * Hole 3: the leader's agent is SIGSTOPped and its PostgreSQL takes 2 s to exit after SIGQUIT; a failover
     * request names a standby, which takes the lock the moment the lease expires (T + ttl). The watchdog's
     * SIGKILL at T + ttl − 150 ms stops PostgreSQL in time; one second after its SIGQUIT (T + 6.35 s, before
     * the fix) the old primary still acknowledged commits next to the new one.
     */
    private static SimWorld hole3(SimSettings.PreFix preFix) {
        SimWorld w = formed(3, SimSettings.defaults().with(preFix));
        String old = leader(w);
        String candidate = other(w, old);
        w.pg(old).quitExitNanos = s(2);
        w.agent(old).freeze(s(30));
        w.sched.advance(s(0.2));
        put(w, DcsKeys.FAILOVER, "{\"member\":\"" + candidate + "\"}");
        w.sched.advance(s(12));
        return w;
    }

    @Test
    void hole3_theWatchdogKillsBeforeTheLeaseCanExpire() {
        assertThat(hole3(new SimSettings.PreFix(false, false, true, false, false)).violation()).startsWith("(a)");
        SimWorld w = hole3(SimSettings.PreFix.NONE);
        assertThat(w.violation()).as(w.sched.trace()).isNull();
        w.sched.advance(s(20)); // the frozen agent runs again and rejoins
        healsWithin(w, 40);
        assertThat(w.violation()).isNull();
    }

    // ------------------------------------------------------------------ hole 1

    /**
     * Hole 1: the leader is cut from etcd for longer than ttl (its fence stops PostgreSQL, a standby takes over);
     * when the link is back its reads come from an etcd member that lags from before the key expired, so its
     * view still shows it as leader, and its keep-alive finds the lease gone and grants a new one. A REST
     * /restart then checks the fence's authority: before the fix, the new lease counted and PostgreSQL was
     * started as primary next to the new leader.
     */
    private static SimWorld hole1(SimSettings.PreFix preFix) {
        SimWorld w = formed(1, SimSettings.defaults().with(preFix));
        String old = leader(w);
        w.link(old).laggingAt = w.etcd.revision();
        w.link(old).down = true;
        w.sched.advance(s(10));
        assertThat(leader(w)).isNotEqualTo(old).isNotNull();
        w.link(old).down = false;
        w.agent(old).freeze(s(0)); // no-op: the agent runs on
        w.sched.advance(s(0.05));
        try {
            w.agent(old).dcs().ensureLease(java.time.Duration.ZERO); // what its next renewal does: NOT_FOUND, a new lease
        } catch (io.pgha.agent.dcs.DcsException e) {
            throw new IllegalStateException(e);
        }
        w.agent(old).restApiRestart();
        w.sched.advance(s(3));
        return w;
    }

    @Test
    void hole1_aLeaseGrantedAgainGivesNoAuthority() {
        assertThat(hole1(new SimSettings.PreFix(true, false, false, false, false)).violation()).startsWith("(a)");
        SimWorld w = hole1(SimSettings.PreFix.NONE);
        assertThat(w.violation()).as(w.sched.trace()).isNull();
        String old = w.names().stream().filter(n -> w.link(n).laggingAt > 0).findFirst().orElseThrow();
        w.link(old).laggingAt = 0;
        healsWithin(w, 40);
    }

    // ------------------------------------------------------------------ hole 10

    /**
     * Hole 10: maintenance mode on, the leader cut from etcd, a failover request naming a standby (allowed while
     * paused). Before the fix, pause disarmed the fence: the old primary ran on after its lease ended and the
     * candidate's promotion overlapped it.
     */
    private static SimWorld hole10(SimSettings.PreFix preFix) {
        SimWorld w = formed(10, SimSettings.defaults().with(preFix));
        String old = leader(w);
        String candidate = other(w, old);
        String config = w.etcd.get(SimWorld.PREFIX + DcsKeys.CONFIG);
        put(w, DcsKeys.CONFIG, config.substring(0, config.length() - 1) + ",\"pause\":true}");
        w.sched.advance(s(3));
        w.link(old).down = true;
        put(w, DcsKeys.FAILOVER, "{\"member\":\"" + candidate + "\"}");
        w.sched.advance(s(12));
        return w;
    }

    @Test
    void hole10_pauseKeepsTheFence() {
        SimWorld before = hole10(new SimSettings.PreFix(false, false, false, true, false));
        assertThat(before.violation()).as(before.sched.trace()).startsWith("(a)");
        SimWorld w = hole10(SimSettings.PreFix.NONE);
        assertThat(w.violation()).as(w.sched.trace()).isNull();
    }

    // ------------------------------------------------------------------ dead fence thread (§3c)

    /**
     * The leader's fence thread dies (the review's OutOfMemoryError): within about a second the HA loop sees the
     * safety fault, stops PostgreSQL and gives the key up; another member leads; the broken member never leads
     * again while the fault lasts, and rejoins once its agent is restarted (the liveness probe's 503).
     */
    @Test
    void deadFenceThread_theLeaderStepsDownAndNeverLeadsWhileItLasts() {
        SimWorld w = formed(11, SimSettings.defaults().sync(false));
        String old = leader(w);
        w.agent(old).fenceDead = true;
        w.sched.advance(s(4));
        assertThat(w.pg(old).writable()).isFalse();
        assertThat(leader(w)).isNotNull().isNotEqualTo(old);
        String next = leader(w);
        w.pg(next).kill(); // even a crash of the new leader's PostgreSQL does not bring the broken member back as leader
        w.sched.advance(s(10));
        assertThat(leader(w)).isNotEqualTo(old);
        assertThat(w.agent(old).safetyFault()).contains("has not ticked");
        w.restartAgent(old);
        healsWithin(w, 40);
        assertThat(w.violation()).as(w.sched.trace()).isNull();
    }
}
