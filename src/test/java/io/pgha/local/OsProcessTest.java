package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsProcessTest {

    @Test
    void this_process_is_alive_and_recognised_by_its_command_line() {
        long me = ProcessHandle.current().pid();

        assertThat(OsProcess.alive(me)).isTrue();
        assertThat(OsProcess.aliveAndRuns(me, "java")).isTrue();
        assertThat(OsProcess.aliveAndRuns(me, "/no/such/config/anywhere.yml")).isFalse();
        assertThat(OsProcess.aliveAndRuns(null, "java")).isFalse();
    }

    @Test
    void a_pid_that_does_not_exist_is_not_alive() {
        assertThat(OsProcess.alive(0)).isFalse();
        assertThat(OsProcess.alive(Integer.MAX_VALUE)).isFalse();
    }

    @Test
    void pid_files_are_read_from_their_first_line(@TempDir Path tmp) throws Exception {
        assertThat(OsProcess.readPidFile(Files.writeString(tmp.resolve("a.pid"), "1234\n/data\n"))).contains(1234L);
        assertThat(OsProcess.readPidFile(Files.writeString(tmp.resolve("b.pid"), "junk"))).isEmpty();
        assertThat(OsProcess.readPidFile(tmp.resolve("missing.pid"))).isEmpty();
    }
}
