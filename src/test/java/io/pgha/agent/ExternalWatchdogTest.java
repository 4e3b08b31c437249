package io.pgha.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external watchdog process (real bash) against a stand-in "postmaster": a sleep process, which dies of the
 * SIGQUIT an immediate shutdown sends.
 */
class ExternalWatchdogTest {
    private final List<Process> started = new ArrayList<>();
    private final List<ExternalWatchdog> watchdogs = new ArrayList<>();

    private Process postmaster() throws IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        started.add(p);
        return p;
    }

    private ExternalWatchdog watchdog(String device) throws IOException {
        ExternalWatchdog w = ExternalWatchdog.start("test/m1", device, "[test/m1] ");
        watchdogs.add(w);
        return w;
    }

    @AfterEach
    void cleanUp() {
        watchdogs.forEach(w -> {
            w.disarm();
            w.close();
        });
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void stopsPostgresWhenNotFedBeforeTheDeadline() throws IOException {
        Process pm = postmaster();
        watchdog(null).arm(300, pm.pid());
        await().atMost(Duration.ofSeconds(3)).until(() -> !pm.isAlive());
    }

    @Test
    void aFreshDeadlineKeepsPostgresRunning() throws Exception {
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(null);
        // fed every 100 ms (the agent's rhythm) with a 400 ms deadline, PostgreSQL must live throughout
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    w.arm(400, pm.pid());
                    return pm.isAlive();
                });
    }

    @Test
    void disarmedItLeavesPostgresAlone() throws Exception {
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(null);
        w.arm(300, pm.pid());
        w.disarm();
        assertThat(pm.waitFor(1200, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void anAgentThatGoesAwayLeavesTheLastDeadlineStanding() throws IOException {
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(null);
        w.arm(500, pm.pid());
        w.close(); // as when the agent dies: its end of the pipe closes
        await().atMost(Duration.ofSeconds(3)).until(() -> !pm.isAlive());
    }

    @Test
    void keepsTheDeviceAliveWhileArmedAndReleasesItWithTheMagicCharacter(@TempDir Path dir) throws Exception {
        Path device = dir.resolve("watchdog");
        Files.createFile(device);
        Process pm = postmaster();
        ExternalWatchdog w = watchdog(device.toString());
        w.arm(5000, pm.pid());
        await().atMost(Duration.ofSeconds(3)).until(() -> Files.readString(device).contains("1"));
        w.disarm();
        await().atMost(Duration.ofSeconds(3)).until(() -> Files.readString(device).endsWith("V"));
        assertThat(pm.isAlive()).isTrue();
    }
}
