package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartitionRulesTest {

    @Test
    void new_connections_from_a_cgroup_are_dropped_to_the_other_sides_ports_15_per_rule() {
        List<Integer> ports = IntStream.rangeClosed(1, 17).map(i -> 42000 + i).boxed().toList();

        List<List<String>> rules = PartitionRules.newConnections("PGHA-CHAOS-1", "pgha-chaos-1/victim", ports);

        assertThat(rules).hasSize(2);
        assertThat(rules.get(0)).containsExactly("PGHA-CHAOS-1", "-p", "tcp", "-m", "cgroup", "--path", "pgha-chaos-1/victim",
                "-m", "multiport", "--dports",
                "42001,42002,42003,42004,42005,42006,42007,42008,42009,42010,42011,42012,42013,42014,42015", "-j", "DROP");
        assertThat(rules.get(1)).contains("42016,42017");
    }

    @Test
    void an_existing_connection_is_dropped_in_both_directions_by_its_two_ports() {
        List<List<String>> rules = PartitionRules.existingConnections("C", List.of(new SocketTable.Connection(50000, 42101)));

        assertThat(rules).containsExactly(
                List.of("C", "-p", "tcp", "-s", "127.0.0.1", "--sport", "50000", "-d", "127.0.0.1", "--dport", "42101", "-j", "DROP"),
                List.of("C", "-p", "tcp", "-s", "127.0.0.1", "--sport", "42101", "-d", "127.0.0.1", "--dport", "50000", "-j", "DROP"));
        assertThat(PartitionRules.jump("C")).containsExactly("OUTPUT", "-o", "lo", "-j", "C");
    }
}
