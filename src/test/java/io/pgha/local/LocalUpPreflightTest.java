package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.config.DcsTiming;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is refused before anything is created or started. The programs here are stand-ins that never run. */
class LocalUpPreflightTest {

    @TempDir
    Path tmp;
    private Path bin;
    private Path pgBin;
    private Path jar;

    @BeforeEach
    void programs() throws Exception {
        bin = BinariesTest.fakePrograms(tmp.resolve("bin"),
                List.of("etcd", "haproxy", "pgbouncer", "setsid", "setpriv", "useradd"));
        pgBin = BinariesTest.fakePgBin(tmp.resolve("pg"));
        jar = Files.writeString(tmp.resolve("pgha.jar"), "not really a jar");
    }

    private LocalUp.Options options(Path dir, Integer members, Integer portBase) {
        return new LocalUp.Options(dir, members, null, portBase, null, null, null, pgBin, Duration.ofSeconds(5),
                new AgentLaunch(BinariesTest.java(), AgentLaunch.SMALL_FOOTPRINT_JVM_FLAGS, jar), List.of(bin),
                bin.toString());
    }

    @Test
    void a_busy_port_is_refused_with_exit_code_2_and_the_directory_is_not_created() throws Exception {
        Path dir = tmp.resolve("cluster");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int base = taken.getLocalPort() - 101; // the port of m1's PostgreSQL
            LocalLayoutTest.assertBadInput(() -> new LocalUp().run(options(dir, 1, base)), "ports already in use");
            assertThatThrownBy(() -> new LocalUp().run(options(dir, 1, base)))
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void a_non_empty_directory_without_cluster_json_is_refused_and_left_alone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(dir.resolve("holiday.jpg"), "x");

        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(options(dir, null, null)), "holds no pgha local cluster");
        try (var entries = Files.list(dir)) {
            assertThat(entries.toList()).containsExactly(dir.resolve("holiday.jpg"));
        }
    }

    @Test
    void a_file_given_as_directory_is_refused() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");

        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(options(file, null, null)), "holds no pgha local cluster");
    }

    @Test
    void a_missing_program_is_refused_before_the_directory_is_created() throws Exception {
        Files.delete(bin.resolve("etcd"));
        Path dir = tmp.resolve("cluster");

        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(options(dir, 1, 30000)), "etcd not found");
        assertThat(dir).doesNotExist();
    }

    @Test
    void restarting_an_existing_cluster_with_other_members_or_ports_is_refused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cluster"));
        LocalLayout recorded = LocalLayout.fromPortBase(dir, "pgha-local", 3, 30000, DcsTiming.PGHA_DEFAULT);
        ClusterFile.of(recorded, "postgres", dir.resolve("secrets/postgres.password"), new Pids()).write(recorded.clusterFile());

        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(options(dir, 5, 31000)),
                "cannot change --members 5 (cluster has 3), --port-base 31000 (cluster has 30000)");
    }

    @Test
    void restarting_an_existing_cluster_with_another_etcd_offset_is_refused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cluster"));
        LocalLayout recorded = LocalLayout.fromPortBase(dir, "pgha-local", 3, 30000, DcsTiming.PGHA_DEFAULT);
        ClusterFile.of(recorded, "postgres", dir.resolve("secrets/postgres.password"), new Pids()).write(recorded.clusterFile());
        LocalUp.Options o = options(dir, null, null);
        LocalUp.Options withOffset = new LocalUp.Options(o.dir(), null, null, null, null, null, null, o.pgBinDir(), o.timeout(),
                o.agent(), o.searchPath(), o.pathValue(), null, null, 470);

        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(withOffset), "cannot change --etcd-port-offset 470 (cluster has 0)");
    }

    @Test
    void a_directory_too_long_for_a_unix_socket_is_refused() {
        Path dir = tmp.resolve("x".repeat(100));

        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(options(dir, 1, 30000)), "too long");
        assertThat(dir).doesNotExist();
    }

    @Test
    void bad_timing_is_refused() {
        LocalUp.Options o = new LocalUp.Options(tmp.resolve("c"), 1, null, 30000, 5, 2, 2, pgBin, Duration.ofSeconds(5),
                new AgentLaunch(BinariesTest.java(), List.of(), jar), List.of(bin), bin.toString());

        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(o), "loop_wait + 2 x retry_timeout <= ttl");
    }

    @Test
    void more_sync_standbys_than_standbys_and_a_zero_timeout_are_refused_before_anything_starts() {
        Path dir = tmp.resolve("c");
        LocalUp.Options sync = new LocalUp.Options(dir, 2, null, 30000, null, null, null, pgBin, Duration.ofSeconds(5),
                new AgentLaunch(BinariesTest.java(), List.of(), jar), List.of(bin), bin.toString(), null,
                io.pgha.config.DcsReplication.of("sync", 2, false));
        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(sync), "--sync-standbys 2 is more than the 1 standby(s)");
        LocalUp.Options noTime = new LocalUp.Options(dir, 1, null, 30000, null, null, null, pgBin, Duration.ZERO,
                new AgentLaunch(BinariesTest.java(), List.of(), jar), List.of(bin), bin.toString());
        LocalLayoutTest.assertBadInput(() -> new LocalUp().run(noTime), "--timeout must be between 1 and 3600");
        assertThat(dir).doesNotExist();
    }
}
