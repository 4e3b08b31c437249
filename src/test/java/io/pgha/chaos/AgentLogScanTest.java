package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLogScanTest {

    @TempDir
    Path dir;

    @Test
    void the_lines_of_a_self_fence_are_counted_by_kind() {
        List<String> log = List.of(
                "01:02:03.100 [pgha-local/m1] NONE: no action: I am the leader with the lock",
                "01:02:04.200 [pgha-local/m1] authority could end within 1000 ms and was not renewed: PostgreSQL stopped immediately (SIGQUIT)",
                "01:02:04.210 pgha-watchdog[m1]: agent did not renew its lease in time: SIGQUIT to PostgreSQL (postmaster 4711)",
                "01:02:04.300 [pgha-local/m1] SAFETY FAULT: fence thread is gone: this member leaves leadership",
                "01:02:04.400 [pgha-local/m1] DEMOTE: safety fault (fence thread is gone): stopping PostgreSQL",
                "01:02:05.400 [pgha-local/m1] DEMOTE(m2): demoting for a switchover",
                "01:02:06.000 [pgha-local/m1] FOLLOW(m2): following new leader m2 (not DEMOTE anything)");

        AgentLogScan.SelfFence s = AgentLogScan.scan(log);

        assertThat(s).isEqualTo(new AgentLogScan.SelfFence(1, 1, 2, 1));
        assertThat(s.any()).isTrue();
        assertThat(AgentLogScan.scan(List.of(log.get(0), log.get(6))).any()).isFalse();
        assertThat(AgentLogScan.count(log, "DEMOTE")).isEqualTo(3);
    }

    @Test
    void only_the_lines_written_after_the_mark_are_read_and_a_replaced_file_is_read_whole() throws Exception {
        Path log = Files.writeString(dir.resolve("agent.log"), "before 1\nbefore 2\n");
        long mark = AgentLogScan.mark(log);
        Files.writeString(log, "after 1\nafter 2\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(AgentLogScan.since(log, mark)).containsExactly("after 1", "after 2");

        Files.writeString(log, "new\n");
        assertThat(AgentLogScan.since(log, mark)).containsExactly("new");
        assertThat(AgentLogScan.mark(dir.resolve("missing.log"))).isZero();
    }
}
