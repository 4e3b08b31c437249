package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void a_port_something_listens_on_is_reported_busy_and_a_closed_one_free() throws Exception {
        int busy;
        int free;
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            busy = other.getLocalPort();
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                free = probe.getLocalPort();
            }
            assertThat(PortCheck.busy(List.of(free, busy))).containsExactly(busy);
        }
        assertThat(PortCheck.free(busy)).isTrue();
    }

    @Test
    void a_listener_on_all_addresses_makes_the_loopback_port_busy() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            assertThat(PortCheck.free(other.getLocalPort())).isFalse();
        }
    }
}
