package io.pgha.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence's second line, outside this JVM: a small bash process (resource {@code pgha-watchdog.sh}) that
 * this agent tells, ten times a second, until when PostgreSQL may run as primary. If the agent stops telling
 * it — frozen by SIGSTOP, stuck in a GC pause, killed — the process stops PostgreSQL (SIGQUIT, immediate
 * shutdown) at the last deadline it was given. Optionally it also keeps a Linux watchdog device alive while
 * armed. Its stderr lines join the agent's log.
 */
final class ExternalWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalWatchdog.class);

    private final Process process;
    private final OutputStream commands;
    private final String log;
    private boolean armed;
    private boolean broken;

    private ExternalWatchdog(Process process, String logPrefix) {
        this.process = process;
        this.commands = process.getOutputStream();
        this.log = logPrefix;
    }

    /**
     * Starts the watchdog process. The script is passed as {@code bash -c} text, so no file is left behind.
     *
     * @param label  scope/member, for its log lines
     * @param device a Linux watchdog device to keep alive while armed, or null
     */
    static ExternalWatchdog start(String label, String device, String logPrefix) throws IOException {
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
        LOG.info("{}external watchdog started (pid {}{})", logPrefix, p.pid(), device == null ? "" : ", device " + device);
        return new ExternalWatchdog(p, logPrefix);
    }

    long pid() {
        return process.pid();
    }

    /** PostgreSQL (postmaster {@code pid}) may run as primary for {@code millis} more. */
    synchronized void arm(long millis, long pid) {
        send("arm " + Math.max(0, millis) + " " + pid + "\n");
        armed = true;
    }

    /** Nothing to guard now. */
    synchronized void disarm() {
        if (armed) {
            send("disarm\n");
            armed = false;
        }
    }

    private void send(String line) {
        if (broken) {
            return;
        }
        try {
            commands.write(line.getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            broken = true;
            LOG.error("{}external watchdog (pid {}) no longer listens: {}", log, process.pid(), e.getMessage());
        }
    }

    /** Clean agent exit: the process ends at once if disarmed, else after the deadline it holds. */
    @Override
    public synchronized void close() {
        send("exit\n");
        try {
            commands.close();
        } catch (IOException e) {
            LOG.debug("{}closing the watchdog's input: {}", log, e.getMessage());
        }
    }
}
