package io.pgha.agent;

import io.pgha.sim.Scheduler;
import io.pgha.sim.SimPostgres;
import java.util.concurrent.TimeUnit;

/**
 * The external watchdog process in the simulation (modelled on pgha-watchdog.sh): a process apart from the
 * agent that, once armed, SIGQUITs the postmaster at its quit deadline and SIGKILLs it at its kill deadline,
 * each acted on within its 50 ms poll; it keeps its last deadlines when the agent freezes or dies. A stalled
 * watchdog (a frozen script) acts on nothing, and a command left unsent for over 1 s is a fault, as
 * ExternalWatchdog reports it. {@code killLate} brings back hole 3: SIGKILL one second after SIGQUIT.
 */
final class SimWatchdog implements Watchdog {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Scheduler sched;
    private final SimPostgres pg;
    private final String name;
    private final boolean killLate;
    private boolean armed;
    private long quitAt;
    private long killAt;
    private long pid;
    private long checkAt = Long.MAX_VALUE;
    boolean stalled;
    private long pendingSince;

    SimWatchdog(Scheduler sched, SimPostgres pg, String name, boolean killLate) {
        this.sched = sched;
        this.pg = pg;
        this.name = name;
        this.killLate = killLate;
    }

    @Override
    public void arm(long quitAtNanos, long killAtNanos, long pid) {
        if (stalled) {
            pendingSince = pendingSince == 0 ? sched.now() : pendingSince;
            return;
        }
        this.armed = true;
        this.quitAt = quitAtNanos;
        this.killAt = killLate ? quitAtNanos + TimeUnit.SECONDS.toNanos(1) : killAtNanos;
        this.pid = pid;
        scheduleCheck(quitAt + POLL_NANOS);
    }

    @Override
    public void disarm() {
        if (stalled) {
            pendingSince = pendingSince == 0 ? sched.now() : pendingSince;
            return;
        }
        armed = false;
    }

    void unstall() {
        stalled = false;
        pendingSince = 0;
    }

    private void scheduleCheck(long at) {
        if (at < checkAt || checkAt < sched.now()) {
            checkAt = at;
            sched.at(at, null, this::check);
        }
    }

    private void check() {
        if (sched.now() < checkAt) {
            return; // superseded by an earlier check
        }
        checkAt = Long.MAX_VALUE;
        if (!armed || stalled || pg.pid() != pid) {
            return;
        }
        long now = sched.now();
        if (now >= killAt + POLL_NANOS) {
            sched.note(name + ": watchdog SIGKILLs postmaster " + pid);
            pg.kill();
        } else if (now >= quitAt + POLL_NANOS) {
            if (pg.phase() != SimPostgres.Phase.QUITTING) {
                sched.note(name + ": watchdog SIGQUITs postmaster " + pid);
            }
            pg.quit();
            scheduleCheck(killAt + POLL_NANOS);
        } else {
            scheduleCheck(quitAt + POLL_NANOS);
        }
    }

    @Override
    public String fault() {
        return stalled && pendingSince != 0 && sched.now() - pendingSince > ExternalWatchdog.STALL_NANOS
                ? "watchdog pipe stalled (simulated)" : null;
    }

    @Override
    public void close() {
        // the process keeps its last deadlines when the agent goes (pgha-watchdog.sh on end of input)
    }
}
