package io.pgha.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the cluster's long-running processes detached from the caller (own session via setsid, stdin
 * from /dev/null, output appended to a log file) so that they outlive the {@code pgha local up} that
 * started them and its terminal, and remembers which ones this run started so a failed run can stop
 * exactly those. setsid and setpriv both exec in place, so the pid of the started child is the pid of
 * the program itself.
 */
public final class LocalProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcesses.class);

    /** A process started by this run. {@code marker} is a string its command line contains. */
    public record Started(String what, long pid, String marker) {}

    private final Path setsid;
    private final ServiceUser user;
    private final Map<String, String> environment;
    private final List<Started> started = new ArrayList<>();

    /**
     * @param environment the complete environment of the started processes (nothing else is inherited,
     *                    so settings meant for the caller, e.g. PATRONI_* or PG* variables, do not leak in)
     */
    public LocalProcesses(Path setsid, ServiceUser user, Map<String, String> environment) {
        this.setsid = setsid;
        this.user = user;
        this.environment = Map.copyOf(environment);
    }

    /**
     * Starts {@code command} detached and returns its pid.
     *
     * @param marker a string in the command line that identifies the process later (a config path)
     */
    public synchronized long start(String what, List<String> command, Path log, Path workDir, String marker) {
        List<String> full = new ArrayList<>();
        full.add(setsid.toString());
        full.addAll(user.commandPrefix());
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        try {
            // the log belongs to the service user: some programs (PgBouncer) reopen it themselves
            if (!Files.exists(log)) {
                Files.createFile(log);
            }
            user.own(log, List.of());
            long pid = pb.start().pid();
            started.add(new Started(what, pid, marker));
            LOG.info("started {} (pid {}, log {})", what, pid, log);
            return pid;
        } catch (IOException e) {
            throw LocalException.failed("cannot start " + what + ": " + e.getMessage());
        }
    }

    /** What this run started, oldest first. */
    public synchronized List<Started> started() {
        return List.copyOf(started);
    }

    /**
     * This run started the process named {@code what}, and it has exited since. Judged by liveness alone:
     * the process is our own child (its pid cannot be reused before we reap it), and its command line is
     * briefly unreadable while setsid and setpriv exec into the program, which made a freshly started
     * process look gone.
     */
    public synchronized boolean exited(String what) {
        List<Started> named = started.stream().filter(s -> s.what().equals(what)).toList();
        return !named.isEmpty() && named.stream().noneMatch(s -> OsProcess.alive(s.pid()));
    }

    /**
     * A recorded process to stop. It is signalled only while it still is that process: its command line
     * contains {@code marker}, or, when {@code workDir} is given, it runs in that directory (a postmaster).
     */
    public record Target(String what, long pid, String marker, Path workDir) {
        static Target byCommandLine(String what, long pid, String marker) {
            return new Target(what, pid, marker, null);
        }

        static Target byWorkDir(String what, long pid, Path workDir) {
            return new Target(what, pid, null, workDir);
        }

        boolean running() {
            return workDir != null ? OsProcess.aliveIn(pid, workDir) : OsProcess.aliveAndRuns(pid, marker);
        }
    }

    /**
     * Sends {@code signal} to every target still running, waits up to {@code grace} for all to exit, then
     * sends {@code escalation} to those left and waits 10 s more.
     *
     * @return the targets still running at the end (empty = all stopped)
     */
    public static List<Target> stop(List<Target> targets, OsProcess.Signal signal, Duration grace,
                                    OsProcess.Signal escalation) {
        List<Target> running = targets.stream().filter(Target::running).toList();
        for (Target t : running) {
            LOG.info("stopping {} (pid {}) with SIG{}", t.what(), t.pid(), signal);
            OsProcess.signal(t.pid(), signal);
        }
        if (Poll.until(grace, Duration.ofMillis(100), () -> running.stream().noneMatch(t -> OsProcess.alive(t.pid())))) {
            return List.of();
        }
        List<Target> left = running.stream().filter(Target::running).toList();
        for (Target t : left) {
            LOG.warn("{} (pid {}) did not stop within {} s; sending SIG{}", t.what(), t.pid(), grace.toSeconds(), escalation);
            OsProcess.signal(t.pid(), escalation);
        }
        Poll.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> left.stream().noneMatch(t -> OsProcess.alive(t.pid())));
        return left.stream().filter(t -> OsProcess.alive(t.pid())).toList();
    }
}
