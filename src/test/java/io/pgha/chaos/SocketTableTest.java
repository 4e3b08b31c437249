package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocketTableTest {

    /**
     * Output of ss -Htnp state connected, as on the development machine (etcd, an agent's dual-stack Java socket,
     * a standby, HAProxy).
     */
    static final String SS = """
            ESTAB     0      0               127.0.0.1:42012          127.0.0.1:36264 users:(("etcd",pid=21430,fd=24))
            ESTAB      0      0      [::ffff:127.0.0.1]:36264 [::ffff:127.0.0.1]:42012 users:(("java",pid=900,fd=23))
            TIME-WAIT 0      0               127.0.0.1:42022          127.0.0.1:48214
            ESTAB     0      0               127.0.0.1:47168          127.0.0.1:42101 users:(("postgres",pid=801,fd=5))
            ESTAB     0      0               127.0.0.1:42101          127.0.0.1:47168 users:(("postgres",pid=701,fd=9),("postgres",pid=700,fd=9))
            ESTAB     0      0               127.0.0.1:51000          127.0.0.1:42201 users:(("haproxy",pid=600,fd=12))
            ESTAB     0      0                   [::1]:5000               [::1]:6000 users:(("x",pid=1,fd=3))
            """;

    @Test
    void parses_loopback_sockets_with_their_processes_and_skips_other_addresses() {
        List<SocketTable.Socket> sockets = SocketTable.parse(SS);

        assertThat(sockets).hasSize(6);
        assertThat(sockets.get(0)).isEqualTo(new SocketTable.Socket(42012, 36264, Set.of(21430L)));
        assertThat(sockets.get(2)).isEqualTo(new SocketTable.Socket(42022, 48214, Set.of()));
        assertThat(sockets.get(4).pids()).containsExactlyInAnyOrder(700L, 701L);
    }

    @Test
    void crossing_connections_are_named_by_the_initiator_side_once_each() {
        // victim m1: agent 900, postgres 700/701; PostgreSQL 42101, PgBouncer 42201, REST 42301
        // others: m2's walreceiver 801 and etcd 21430 on 42012
        var crossing = SocketTable.crossing(SocketTable.parse(SS), List.of(900L, 700L, 701L), List.of(42101, 42201, 42301),
                List.of(801L, 21430L), List.of(42012, 42022, 42102));

        // the agent's etcd connection and m2's standby connection to m1; HAProxy (600) belongs to neither group
        assertThat(crossing).containsExactlyInAnyOrder(new SocketTable.Connection(36264, 42012),
                new SocketTable.Connection(47168, 42101));
    }
}
