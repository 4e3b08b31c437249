package io.pgha.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external watchdog process (real bash) against a stand-in "postmaster": a sleep process, which dies of the
 * SIGQUIT an immediate shutdown sends, or a shell that ignores SIGQUIT and has a child, for the SIGKILL stage.
 */
class ExternalWatchdogTest {
    private final List<Process> started = new ArrayList<>();
    private final List<ExternalWatchdog> watchdogs = new ArrayList<>();

    private Process postmaster() throws IOException {
        return start("sleep", "600");
    }

    /** A "postmaster" that ignores SIGQUIT (as a frozen or wedged one would) and has a child of its own. */
    private Process stubbornPostmaster() throws IOException {
        return start("bash", "-c", "trap '' QUIT; sleep 600 & wait");
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).start();
        started.add(p);
        return p;
    }

    private ExternalWatchdog watchdog(String device) throws IOException {
        ExternalWatchdog w = ExternalWatchdog.start("test/m1", device, "[test/m1] ");
        watchdogs.add(w);
        return w;
    }

    private static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @AfterEach
    void cleanUp() {
        watchdogs.forEach(w -> {
            w.disarm();
            w.close();
        });
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void stopsPostgresWhenNotFedBeforeTheDeadline() throws IOException {
        Process pm = postmaster();
        watchdog(null).arm(in(300), in(2000), pm.pid());
        await().atMost(Duration.ofSeconds(3)).until(() -> !pm.isAlive());
    }

    @Test
    void aFreshDeadlineKeepsPostgresRunning() {
        Process pm;
        ExternalWatchdog w;
        try {
            pm = postmaster();
            w = watchdog(null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // fed every 100 ms (the agent's rhythm) with a 400 ms deadline, PostgreSQL must live throughout
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    w.arm(in(400), in(800), pm.pid());
                    return pm.isAlive();
                });
        assertThat(w.fault()).isNull();
    }

    @Test
    void disarmedItLeavesPostgresAlone() throws Exception {
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(null);
        w.arm(in(300), in(600), pm.pid());
        w.disarm();
        assertThat(pm.waitFor(1200, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void aDeadlineAlreadyPastIsCarriedOutAtOnce() throws IOException {
        Process pm = postmaster();
        long t0 = System.nanoTime();
        watchdog(null).arm(t0 - TimeUnit.SECONDS.toNanos(1), t0, pm.pid());
        await().atMost(Duration.ofSeconds(2)).until(() -> !pm.isAlive());
    }

    @Test
    void aDeadlineIsAbsoluteHowLateTheScriptReadsItsLine() throws Exception {
        // hole 4 of issue 11: with "arm <ms>", a line the script read 2.5 s late moved the deadline 2.5 s later
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(null);
        long script = w.pid();
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(script)).start().waitFor()).isZero();
        try {
            w.arm(in(2000), in(2100), pm.pid());
            // the line waits in the pipe while the script is frozen, past both deadlines
            await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> true);
        } finally {
            assertThat(new ProcessBuilder("kill", "-CONT", Long.toString(script)).start().waitFor()).isZero();
        }
        long resumed = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> !pm.isAlive());
        assertThat(System.nanoTime() - resumed).as("carried out on reading, not 2 s after").isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
    }

    @Test
    void aPostmasterThatIgnoresSigquitIsKilledWithItsChildrenByTheKillDeadline() throws IOException {
        Process pm = stubbornPostmaster();
        await().atMost(Duration.ofSeconds(3)).until(() -> pm.descendants().findAny().isPresent());
        List<ProcessHandle> children = pm.descendants().toList();
        long killAt = in(700);
        watchdog(null).arm(in(200), killAt, pm.pid());
        await().atMost(Duration.ofSeconds(5)).until(() -> !pm.isAlive());
        // the script polls every 50 ms and /proc/uptime counts in 10 ms; the bound leaves room for a loaded machine
        assertThat(System.nanoTime() - killAt).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(System.nanoTime() - killAt).as("SIGQUIT alone did not end it: the kill stage did").isPositive();
        await().atMost(Duration.ofSeconds(2)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void anAgentThatGoesAwayLeavesTheLastDeadlineStanding() throws IOException {
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(null);
        w.arm(in(500), in(1500), pm.pid());
        w.close(); // as when the agent dies: its end of the pipe closes
        await().atMost(Duration.ofSeconds(3)).until(() -> !pm.isAlive());
    }

    @Test
    void aWatchdogProcessThatDiesIsStartedAgain() throws IOException {
        ExternalWatchdog w = watchdog(null);
        long first = w.pid();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(5)).until(() -> w.fault() == null && w.pid() != first);
        Process pm = postmaster();
        w.arm(in(200), in(1000), pm.pid());
        await().atMost(Duration.ofSeconds(3)).until(() -> !pm.isAlive());
    }

    @Test
    void aFrozenWatchdogNeverBlocksTheCallerAndIsReportedAsStalled() throws Exception {
        ExternalWatchdog w = watchdog(null);
        ProcessHandle script = ProcessHandle.of(w.pid()).orElseThrow();
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(script.pid())).start();
        assertThat(stop.waitFor(5, TimeUnit.SECONDS)).isTrue();
        try {
            // the writer thread blocks once the pipe is full; the callers must never wait for it
            long slowest = 0;
            long giveUp = in(15_000);
            while (w.fault() == null && System.nanoTime() < giveUp) {
                long t0 = System.nanoTime();
                w.arm(in(60_000), in(61_000), 1);
                w.disarm();
                slowest = Math.max(slowest, System.nanoTime() - t0);
            }
            assertThat(slowest).as("a blocked caller would wait for ever; GC and JIT pauses stay far below").isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(w.fault()).contains("stalled");
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(script.pid())).start().waitFor(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> w.fault() == null);
    }

    @Test
    void keepsTheDeviceAliveWhileArmedAndReleasesItWithTheMagicCharacter(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("watchdog");
        Files.createFile(device);
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(device.toString());
        w.arm(in(5000), in(6000), pm.pid());
        await().atMost(Duration.ofSeconds(3)).until(() -> Files.readString(device).contains("1"));
        w.disarm();
        await().atMost(Duration.ofSeconds(3)).until(() -> Files.readString(device).endsWith("V"));
        assertThat(pm.isAlive()).isTrue();
    }
}
