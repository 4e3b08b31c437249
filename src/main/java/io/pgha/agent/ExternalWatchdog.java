package io.pgha.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence's second line, outside this JVM: a small bash process (resource {@code pgha-watchdog.sh}) that
 * this agent tells, ten times a second, until when PostgreSQL may run as primary. If the agent stops telling
 * it — frozen by SIGSTOP, stuck in a GC pause, killed — the process stops PostgreSQL (SIGQUIT, then SIGKILL of
 * the postmaster and its children) at the last deadlines it was given. Optionally it also keeps a Linux
 * watchdog device alive while armed. Its stderr lines join the agent's log.
 *
 * <p>Callers never write to the pipe themselves: they leave the newest command in a one-slot mailbox that a
 * writer thread of its own sends, so a stalled pipe (a frozen script) blocks that thread only, never the
 * fence. A command left unsent for longer than {@link #STALL_NANOS}, a dead writer thread, or a script that
 * died and could not be started again is a {@link #fault()}: the agent then leaves leadership (HaLoop).
 */
final class ExternalWatchdog implements Watchdog {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalWatchdog.class);
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RESTART_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String label;
    private final String device;
    private final String log;
    private final SafetyLog safetyLog = SafetyLog.get();
    private final Object mailbox = new Object();
    private final Thread writer;
    private volatile Process process;
    private volatile String pending;
    /** System.nanoTime() when the oldest unsent command was posted; 0 when all are sent. */
    private volatile long pendingSinceNanos;
    private volatile boolean armed;
    private volatile boolean closing;
    private volatile String writerDeath;
    private volatile String startFailure;
    private long lastRestartNanos;

    private ExternalWatchdog(String label, String device, String logPrefix) throws IOException {
        this.label = label;
        this.device = device;
        this.log = logPrefix;
        this.process = launch();
        this.writer = new Thread(this::writeLoop, "pgha-watchdog-writer");
        this.writer.setDaemon(true);
        this.writer.setUncaughtExceptionHandler((t, e) -> writerDeath = e.toString());
        this.writer.start();
    }

    /**
     * Starts the watchdog process. The script is passed as {@code bash -c} text, so no file is left behind.
     *
     * @param label  scope/member, for its log lines
     * @param device a Linux watchdog device to keep alive while armed, or null
     */
    static ExternalWatchdog start(String label, String device, String logPrefix) throws IOException {
        return new ExternalWatchdog(label, device, logPrefix);
    }

    private Process launch() throws IOException {
        String script;
        try (InputStream in = ExternalWatchdog.class.getResourceAsStream("pgha-watchdog.sh")) {
            if (in == null) {
                throw new IOException("pgha-watchdog.sh is missing from the jar");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ProcessBuilder pb = device == null ? new ProcessBuilder("bash", "-c", script, "pgha-watchdog", label)
                : new ProcessBuilder("bash", "-c", script, "pgha-watchdog", label, device);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        LOG.info("{}external watchdog started (pid {}{})", log, p.pid(), device == null ? "" : ", device " + device);
        return p;
    }

    long pid() {
        return process.pid();
    }

    /**
     * PostgreSQL (postmaster {@code pid}) may run as primary until {@code quitAtNanos} (System.nanoTime); it
     * must be gone, children included, by {@code killAtNanos}.
     */
    @Override
    public void arm(long quitAtNanos, long killAtNanos, long pid) {
        long quit = Math.max(1, UptimeClock.toUptimeMillis(quitAtNanos));
        long kill = Math.max(quit, UptimeClock.toUptimeMillis(killAtNanos));
        armed = true;
        post("arm " + quit + " " + kill + " " + pid + "\n");
    }

    /** Nothing to guard now. */
    @Override
    public void disarm() {
        if (armed) {
            armed = false;
            post("disarm\n");
        }
    }

    /** Null while the watchdog works; else what is wrong with it. Restarts a script that died. */
    @Override
    public String fault() {
        if (writerDeath != null) {
            return "watchdog writer thread died: " + writerDeath;
        }
        if (!writer.isAlive() && !closing) {
            return "watchdog writer thread is gone";
        }
        long since = pendingSinceNanos;
        if (since != 0 && System.nanoTime() - since > STALL_NANOS) {
            return "watchdog pipe stalled: a command waits for "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms";
        }
        if (!process.isAlive() && !closing) {
            restart();
            if (!process.isAlive()) {
                return "watchdog process is dead" + (startFailure == null ? "" : " and cannot be started: " + startFailure);
            }
        }
        return null;
    }

    private void restart() {
        long now = System.nanoTime();
        if (lastRestartNanos != 0 && now - lastRestartNanos < RESTART_EVERY_NANOS) {
            return;
        }
        lastRestartNanos = now;
        safetyLog.error(LOG, log + "external watchdog (pid " + process.pid() + ") died with exit code "
                + process.exitValue() + ": starting it again");
        try {
            process = launch();
            startFailure = null; // the fence arms the new process on its next tick
        } catch (IOException | RuntimeException e) {
            startFailure = e.toString();
        }
    }

    private void post(String command) {
        synchronized (mailbox) {
            if (pending == null) {
                pendingSinceNanos = System.nanoTime();
            }
            pending = command;
            mailbox.notifyAll();
        }
    }

    private void writeLoop() {
        while (true) {
            String command;
            synchronized (mailbox) {
                while (pending == null && !closing) {
                    try {
                        mailbox.wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending == null) {
                    return;
                }
                command = pending;
            }
            Process p = process;
            try {
                OutputStream out = p.getOutputStream();
                out.write(command.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the script is gone: fault() restarts it; keep the command for the new one
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                continue;
            }
            synchronized (mailbox) {
                if (pending == command) {
                    pending = null;
                    pendingSinceNanos = 0;
                }
            }
            if (command.startsWith("exit")) {
                return;
            }
        }
    }

    /** Clean agent exit: the process ends at once if disarmed, else after the deadline it holds. */
    @Override
    public void close() {
        // the mailbox keeps only the newest command: let a last arm line go out before "exit" takes its place
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (pending != null && System.nanoTime() - until < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        post("exit\n");
        closing = true;
        try {
            writer.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("{}closing the watchdog's input: {}", log, e.getMessage());
        }
    }
}
