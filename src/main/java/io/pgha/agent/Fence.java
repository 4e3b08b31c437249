package io.pgha.agent;

import io.pgha.agent.dcs.LeaderLease;
import io.pgha.agent.postgres.PostmasterControl;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread apart from the HA loop, checking ten times a second:
 * <ul>
 *   <li>the split-brain rule: while PostgreSQL may run as primary, our authority (the lease our leader key sits
 *   on, or a failsafe confirmation) must certainly last at least {@code margin} more; otherwise PostgreSQL is
 *   stopped at once (SIGQUIT), and SIGKILLed with its children once half the margin is gone too, even if the
 *   HA loop is stuck in a slow DCS or PostgreSQL call;</li>
 *   <li>the postmaster's liveness: when it dies, the HA loop is woken so a crash is handled within ~100 ms.</li>
 * </ul>
 * A frozen agent process (SIGSTOP) freezes this thread too: each tick therefore also tells the
 * {@link ExternalWatchdog}, a process apart, until when PostgreSQL may run as primary; that process stops it
 * then unless told a later moment. Maintenance mode does not disarm either: pausing stops automatic actions,
 * not the rule that only the lease holder writes.
 *
 * <p>The thread survives any Throwable of a tick. It signals before it logs, and logs through {@link SafetyLog}
 * only, so a blocked log cannot hold a signal back. {@link #fault()} tells the HA loop when this thread (or
 * the watchdog) cannot be trusted any more; the member then leaves leadership.
 */
final class Fence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fence.class);
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A tick older than this means the thread is stuck or gone. */
    static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The watchdog sends SIGQUIT this long before the half margin (its 50 ms poll, /proc/uptime's 2 x 10 ms, scheduling). */
    static final long WATCHDOG_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
    /** The watchdog's SIGKILL lands this long before the authority ends, for the same reasons. */
    static final long WATCHDOG_KILL_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(150);

    private final LeaderLease lease;
    private final PostmasterControl pg;
    private final LongSupplier clock;
    private final Runnable wakeHaLoop;
    private final String log;
    private final SafetyLog safetyLog = SafetyLog.get();
    private final Thread thread;
    private volatile boolean primaryActive;
    private volatile long marginNanos = TimeUnit.SECONDS.toNanos(1);
    private volatile boolean running = true;
    private volatile long failsafeUntilNanos;
    private volatile Watchdog watchdog;
    private volatile long lastTickNanos;
    /** Set for good once a tick threw an Error (out of memory, say): this JVM is no place for a leader. */
    private volatile String fatalFault;
    private volatile String lastTickFailure;
    private long lastPid = -1;
    private boolean fired;
    /** Ticks have begun (the thread started, or a scheduler drives {@link #runTick}): from then on they must go on. */
    private volatile boolean ticking;

    Fence(LeaderLease lease, PostmasterControl pg, Runnable wakeHaLoop, String logPrefix) {
        this(lease, pg, System::nanoTime, wakeHaLoop, logPrefix);
    }

    Fence(LeaderLease lease, PostmasterControl pg, LongSupplier clock, Runnable wakeHaLoop, String logPrefix) {
        this.lease = lease;
        this.pg = pg;
        this.clock = clock;
        this.wakeHaLoop = wakeHaLoop;
        this.log = logPrefix;
        this.lastTickNanos = clock.getAsLong();
        this.thread = new Thread(this::loop, "pgha-fence");
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((t, e) -> fatalFault = "fence thread died: " + e);
    }

    void start() {
        lastTickNanos = clock.getAsLong();
        ticking = true;
        thread.start();
    }

    /**
     * Set true before PostgreSQL may accept writes (promote, start as primary), false once it cannot. Arming
     * also feeds the watchdog at once, from the caller's thread, so a primary is guarded from its first moment
     * even before the next tick.
     */
    void primaryActive(boolean active) {
        primaryActive = active;
        if (active) {
            feedWatchdog();
        }
    }

    boolean primaryActive() {
        return primaryActive;
    }

    /** How long before the authority could end the primary must already be stopped. */
    void margin(long nanos) {
        marginNanos = nanos;
    }

    void watchdog(Watchdog w) {
        this.watchdog = w;
    }

    /** Every member promised, at {@code sentNanos - ttl}, not to race before this moment (failsafe mode). */
    void failsafeUntil(long nanos) {
        failsafeUntilNanos = nanos;
    }

    /** Until when (the clock's nanos) this member may act as primary; 0 when it has no authority at all. */
    long authorityUntil() {
        long leader = lease.leaderValidUntilNanos();
        long failsafe = failsafeUntilNanos;
        return failsafe != 0 && failsafe - leader > 0 ? failsafe : leader;
    }

    /** How long our authority lasts beyond the margin plus {@code extraNanos}, in ms; 0 when it does not. */
    long slackMillis(long extraNanos) {
        long until = authorityUntil();
        long left = until == 0 ? 0 : until - clock.getAsLong() - marginNanos - extraNanos;
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(left));
    }

    /** True when our authority (leader lease, or failsafe) lasts at least the margin plus {@code extraNanos}. */
    boolean leaseValidFor(long extraNanos) {
        long until = authorityUntil();
        return until != 0 && clock.getAsLong() + marginNanos + extraNanos - until < 0;
    }

    /**
     * Null while this fence and its watchdog can be trusted; else why not: the thread died or stopped ticking,
     * a tick failed (an Error is remembered for good), or the watchdog is broken.
     */
    String fault() {
        if (fatalFault != null) {
            return fatalFault;
        }
        if (thread.getState() == Thread.State.TERMINATED && running) {
            return "fence thread is gone";
        }
        long age = clock.getAsLong() - lastTickNanos;
        if (ticking && age > STALE_NANOS) {
            return "fence thread has not ticked for " + TimeUnit.NANOSECONDS.toMillis(age) + " ms";
        }
        if (lastTickFailure != null) {
            return "fence tick failed: " + lastTickFailure;
        }
        Watchdog w = watchdog;
        return w == null ? null : w.fault();
    }

    private void loop() {
        while (running) {
            runTick();
            try {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(TICK_NANOS)); // no event marks the passing of time
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                lastTickFailure = t.toString();
            }
        }
    }

    /**
     * One tick as the thread runs it: {@link #tick()}, whatever it throws caught and remembered for
     * {@link #fault()}. The thread calls it every {@link #TICK_NANOS}; the simulation's scheduler calls it on
     * virtual time instead of starting the thread.
     */
    void runTick() {
        ticking = true;
        try {
            tick();
            lastTickFailure = null;
        } catch (Throwable t) {
            lastTickFailure = t.toString();
            if (t instanceof Error) {
                fatalFault = "fence tick failed with " + t;
            }
            safetyLog.error(LOG, log + "fence tick failed: " + t);
        }
        lastTickNanos = clock.getAsLong();
    }

    /** One check; the thread runs it every {@link #TICK_NANOS}, tests call it directly. */
    void tick() {
        feedWatchdog();
        long pid = pg.postmasterPid();
        if (primaryActive && pid > 0 && !leaseValidFor(0)) {
            // signal first, log after: see the class comment
            boolean escalate = fired && !leaseValidFor(-marginNanos / 2);
            if (escalate || !pg.quitNow()) {
                pg.killNow();
            }
            if (!fired) {
                safetyLog.error(LOG, log + "authority could end within " + TimeUnit.NANOSECONDS.toMillis(marginNanos)
                        + " ms and was not renewed: PostgreSQL stopped immediately (SIGQUIT)");
            } else if (escalate) {
                safetyLog.error(LOG, log + "PostgreSQL (postmaster " + pid + ") still alive with half the margin gone: SIGKILL");
            }
            fired = true;
            // repeated every tick until the postmaster is gone; the HA loop alone disarms the fence, once its
            // probe shows PostgreSQL is no longer a primary
            wakeHaLoop.run();
        } else if (leaseValidFor(0)) {
            fired = false;
        }
        if (lastPid > 0 && pid < 0) {
            pg.killOrphans(java.time.Duration.ZERO); // its children must not outlive it by more than a tick
            wakeHaLoop.run();
        }
        lastPid = pid;
    }

    /**
     * Tells the watchdog the deadlines of the current authority, or that there is nothing to guard:
     * SIGQUIT at authority − margin/2 − lead, SIGKILL at authority − kill lead (docs/ha-protocol.md §3a).
     */
    private void feedWatchdog() {
        Watchdog w = watchdog;
        if (w == null) {
            return;
        }
        long pid = pg.postmasterPid();
        if (primaryActive && pid > 0) {
            long until = authorityUntil();
            long now = clock.getAsLong();
            long quitAt = until == 0 ? now : until - marginNanos / 2 - WATCHDOG_LEAD_NANOS;
            long killAt = until == 0 ? now : until - WATCHDOG_KILL_LEAD_NANOS;
            w.arm(quitAt, killAt, pid);
        } else {
            w.disarm();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Watchdog w = watchdog;
        if (w != null) {
            w.close(); // it leaves at once unless PostgreSQL may still run as primary; then at that deadline
        }
    }
}
