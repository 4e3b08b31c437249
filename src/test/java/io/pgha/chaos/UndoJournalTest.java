package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UndoJournalTest {

    @TempDir
    Path dir;

    @Test
    void what_is_recorded_survives_in_the_file_until_it_is_undone() {
        Path file = dir.resolve("undo.json");
        UndoJournal j = new UndoJournal(file);
        assertThat(j.empty()).isTrue();

        j.stopped(4711, "/var/tmp/c/m1/patroni.yml");
        j.partition(new UndoJournal.Partition("PGHA-CHAOS-1", List.of("/pgha-chaos-1/victim", "/pgha-chaos-1"),
                Map.of(4711L, "/system.slice"), "/"));

        UndoJournal read = UndoJournal.load(file);
        assertThat(read.empty()).isFalse();
        assertThat(Files.exists(file)).isTrue();

        j.continued(4711);
        j.healed();
        assertThat(UndoJournal.load(file).empty()).isTrue();
    }

    @Test
    void a_missing_file_is_an_empty_journal() {
        assertThat(UndoJournal.load(dir.resolve("none.json")).empty()).isTrue();
        assertThat(ChaosCleanup.run(dir.resolve("none.json"))).contains("nothing to undo");
    }

    @Test
    void fault_kinds_are_known_by_their_labels() {
        assertThat(FaultKind.of(" etcd-quorum")).isEqualTo(FaultKind.ETCD_QUORUM);
        assertThat(FaultKind.PARTITION.label()).isEqualTo("partition");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaultKind.of("reboot"))
                .hasMessageContaining("unknown fault 'reboot'").hasMessageContaining("sigstop-agent");
    }
}
