package io.pgha.agent;

import io.pgha.agent.dcs.EtcdDcs;
import io.pgha.agent.postgres.Postgres;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread apart from the HA loop, checking ten times a second:
 * <ul>
 *   <li>the split-brain rule: while PostgreSQL may run as primary, our lease must be certainly valid for at
 *   least {@code margin} more; otherwise PostgreSQL is stopped at once (SIGQUIT), even if the HA loop is stuck
 *   in a slow DCS or PostgreSQL call. The lease end is computed from the send time of the last successful
 *   renewal, which is never later than etcd's own view;</li>
 *   <li>the postmaster's liveness: when it dies, the HA loop is woken so a crash is handled within ~100 ms.</li>
 * </ul>
 * A frozen agent process (SIGSTOP) freezes this thread too: each tick therefore also tells the
 * {@link ExternalWatchdog}, a process apart, until when PostgreSQL may run as primary; that process stops it
 * at that moment unless told a later one. The authority to run as primary ends with the lease, or with a
 * failsafe confirmation from every member when etcd is out of reach ({@link Failsafe}).
 */
final class Fence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fence.class);

    private final EtcdDcs dcs;
    private final Postgres pg;
    private final Runnable wakeHaLoop;
    private final String log;
    private final Thread thread;
    private volatile boolean primaryActive;
    private volatile boolean paused;
    private volatile long marginNanos;
    private volatile boolean running = true;
    private volatile long failsafeUntilNanos;
    private volatile ExternalWatchdog watchdog;
    /** The watchdog acts this long before the fence would have (its own tick and the pipe's latency included). */
    static final long WATCHDOG_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
    private long lastPid = -1;
    private boolean fired;

    Fence(EtcdDcs dcs, Postgres pg, Runnable wakeHaLoop, String logPrefix) {
        this.dcs = dcs;
        this.pg = pg;
        this.wakeHaLoop = wakeHaLoop;
        this.log = logPrefix;
        this.marginNanos = TimeUnit.SECONDS.toNanos(1);
        this.thread = new Thread(this::loop, "pgha-fence");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Set true before PostgreSQL may accept writes (promote, start as primary), false once it cannot. */
    /**
     * Maintenance mode: the administrator has taken over, so the fence stands down like every other automatic
     * action (Patroni disables its watchdog while paused). A paused primary keeps running without a lease.
     */
    void paused(boolean paused) {
        if (this.paused != paused) {
            LOG.info("{}fence {} (maintenance mode {})", log, paused ? "disarmed" : "armed again", paused ? "on" : "off");
        }
        this.paused = paused;
    }

    void primaryActive(boolean active) {
        primaryActive = active;
    }

    /** How long before the lease could expire the primary must already be stopped. */
    void margin(long nanos) {
        marginNanos = nanos;
    }

    void watchdog(ExternalWatchdog w) {
        this.watchdog = w;
    }

    /** Every member promised, at {@code sentNanos - ttl}, not to race before this moment (failsafe mode). */
    void failsafeUntil(long nanos) {
        failsafeUntilNanos = nanos;
    }

    /** Until when (System.nanoTime) this member may act as primary; 0 when it has no authority at all. */
    private long authorityUntil() {
        long lease = dcs.leaseValidUntilNanos();
        long failsafe = failsafeUntilNanos;
        return failsafe != 0 && failsafe - lease > 0 ? failsafe : lease;
    }

    /** How long our authority lasts beyond the margin plus {@code extraNanos}, in ms; 0 when it does not. */
    long slackMillis(long extraNanos) {
        long until = authorityUntil();
        long left = until == 0 ? 0 : until - System.nanoTime() - marginNanos - extraNanos;
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(left));
    }

    /** True when our authority (lease, or failsafe) lasts at least the margin plus {@code extraNanos}. */
    boolean leaseValidFor(long extraNanos) {
        long until = authorityUntil();
        return until != 0 && System.nanoTime() + marginNanos + extraNanos < until;
    }

    private void loop() {
        while (running) {
            try {
                check();
                Thread.sleep(100); // a fixed 100 ms tick is the design: no event marks the passing of time
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("{}fence check failed: {}", log, e.toString());
            }
        }
    }

    private void check() {
        feedWatchdog();
        if (primaryActive && !paused && !leaseValidFor(0) && pg.postmasterPid() > 0) {
            if (!fired) {
                LOG.error("{}lease could expire within {} ms and was not renewed: stopping PostgreSQL immediately",
                        log, TimeUnit.NANOSECONDS.toMillis(marginNanos));
                fired = true;
            }
            // repeated every tick until the postmaster is gone; the HA loop alone disarms the fence, once its
            // probe shows PostgreSQL is no longer a primary
            if (!pg.quitNow()) {
                pg.killNow();
            }
            wakeHaLoop.run();
        } else if (leaseValidFor(0)) {
            fired = false;
        }
        long pid = pg.postmasterPid();
        if (lastPid > 0 && pid < 0) {
            pg.killOrphans(java.time.Duration.ZERO); // its children must not outlive it by more than a tick
            wakeHaLoop.run();
        }
        lastPid = pid;
    }

    private void feedWatchdog() {
        ExternalWatchdog w = watchdog;
        if (w == null) {
            return;
        }
        long pid = pg.postmasterPid();
        if (primaryActive && !paused && pid > 0) {
            long until = authorityUntil();
            long left = until == 0 ? 0 : until - System.nanoTime() - marginNanos / 2 - WATCHDOG_LEAD_NANOS;
            w.arm(TimeUnit.NANOSECONDS.toMillis(Math.max(0, left)), pid);
        } else {
            w.disarm();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        ExternalWatchdog w = watchdog;
        if (w != null) {
            w.close(); // it leaves at once unless PostgreSQL may still run as primary; then at that deadline
        }
    }
}
