package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterDirTest {

    @TempDir
    Path tmp;

    @Test
    void a_directory_is_absent_empty_a_cluster_or_foreign() throws Exception {
        assertThat(ClusterDir.inspect(tmp.resolve("new"))).isEqualTo(ClusterDir.ABSENT);
        assertThat(ClusterDir.inspect(Files.createDirectory(tmp.resolve("empty")))).isEqualTo(ClusterDir.EMPTY);
        Path cluster = Files.createDirectory(tmp.resolve("cluster"));
        Files.writeString(cluster.resolve("cluster.json"), "{}");
        assertThat(ClusterDir.inspect(cluster)).isEqualTo(ClusterDir.CLUSTER);
        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "x");
        assertThat(ClusterDir.inspect(other)).isEqualTo(ClusterDir.FOREIGN);
    }

    @Test
    void a_directory_holding_only_the_lock_file_counts_as_empty() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("interrupted"));
        Files.writeString(dir.resolve(".lock"), "");

        assertThat(ClusterDir.inspect(dir)).isEqualTo(ClusterDir.EMPTY);
    }

    @Test
    void a_second_command_on_a_locked_directory_is_refused_at_once() {
        try (DirLock first = DirLock.acquire(tmp)) {
            LocalLayoutTest.assertBadInput(() -> DirLock.acquire(tmp), "another pgha local command is working on");
        }
        DirLock.acquire(tmp).close();
    }

    @Test
    void status_and_down_refuse_a_directory_without_a_cluster() {
        LocalLayoutTest.assertBadInput(() -> new LocalStatus().run(tmp), "holds no pgha local cluster");
        LocalLayoutTest.assertBadInput(() -> new LocalDown().run(tmp), "holds no pgha local cluster");
    }
}
