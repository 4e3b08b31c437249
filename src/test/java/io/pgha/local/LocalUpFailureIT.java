package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing {@code up} stops what it started: real etcd, PgBouncer and HAProxy start, but the agents are
 * started from a file that is not a jar, so they exit at once; {@code up} must fail with one line naming
 * the agent and leave no process and no busy port behind.
 */
class LocalUpFailureIT {

    private static final List<Path> SYSTEM_PATH = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"), Path.of("/bin"),
            Path.of("/usr/sbin"), Path.of("/sbin"));

    @TempDir
    Path tmp;
    private Path dir;

    @Test
    void when_the_agents_die_up_fails_and_stops_everything_it_started() throws Exception {
        // when run as root the cluster runs as the pgha user, which must reach the directory and the "jar"
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path notAJar = Files.writeString(tmp.resolve("broken.jar"), "this is not a jar");
        Files.setPosixFilePermissions(notAJar, PosixFilePermissions.fromString("rw-r--r--"));
        dir = tmp.resolve("c");
        int base = freePortBase();
        LocalUp.Options o = new LocalUp.Options(dir, 2, "fail-it", base, null, null, null,
                BinariesTest.fakePgBin(tmp.resolve("pgbin")), Duration.ofSeconds(60),
                new AgentLaunch(BinariesTest.java(), List.of("-Xmx32m"), notAJar), SYSTEM_PATH, "/usr/bin:/bin");

        assertThatThrownBy(() -> new LocalUp().run(o))
                .isInstanceOfSatisfying(LocalException.class, e -> assertThat(e.exitCode()).isEqualTo(LocalException.FAILED))
                .hasMessageMatching("agent m[12] exited; .*agent.log ends with: .*");

        ClusterFile recorded = ClusterFile.read(dir.resolve("cluster.json"));
        List<Long> pids = new ArrayList<>();
        recorded.etcd().members().forEach(e -> pids.add(e.pid()));
        recorded.members().forEach(m -> {
            pids.add(m.agentPid());
            pids.add(m.pgbouncerPid());
        });
        pids.add(recorded.haproxy().pid());
        assertThat(pids).as("everything was started before the failure was seen").doesNotContainNull();
        assertThat(pids).noneMatch(OsProcess::alive);
        LocalLayout layout = recorded.layout(dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> PortCheck.busy(layout.allPorts()).isEmpty());
    }

    @AfterEach
    void stopAnythingLeft() {
        if (dir != null && Files.exists(dir.resolve("cluster.json"))) {
            new LocalDown().run(dir);
        }
    }

    /** A base whose ports base .. base+399 are all free now, below the kernel's ephemeral range, as every cluster of the ITs (LocalClusterHarness.freePortBase). */
    private static int freePortBase() {
        return LocalClusterHarness.freePortBase();
    }

    private static List<Integer> range(int base) {
        List<Integer> ports = new ArrayList<>();
        for (int p = base; p <= base + LocalLayout.SPAN; p++) {
            ports.add(p);
        }
        return ports;
    }
}
