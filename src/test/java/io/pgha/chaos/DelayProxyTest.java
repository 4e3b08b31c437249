package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback; every wait is a blocking read with a socket timeout. */
class DelayProxyTest {

    @Test
    void bytes_arrive_in_order_after_the_delay_in_both_directions_and_a_close_passes_through() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DelayProxy proxy = new DelayProxy("t", 0, target.getLocalPort(), Duration.ofMillis(150));
             Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
             Socket server = target.accept()) {
            server.setSoTimeout(5000);
            client.setSoTimeout(5000);

            long sent = System.nanoTime();
            client.getOutputStream().write("hello ".getBytes());
            client.getOutputStream().write("world".getBytes());
            byte[] got = server.getInputStream().readNBytes(11);
            long upMs = (System.nanoTime() - sent) / 1_000_000;

            sent = System.nanoTime();
            server.getOutputStream().write("back".getBytes());
            byte[] back = client.getInputStream().readNBytes(4);
            long downMs = (System.nanoTime() - sent) / 1_000_000;

            assertThat(new String(got)).isEqualTo("hello world");
            assertThat(new String(back)).isEqualTo("back");
            assertThat(upMs).isBetween(150L, 2000L);
            assertThat(downMs).isBetween(150L, 2000L);

            client.shutdownOutput();
            assertThat(server.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void severing_drops_what_is_still_on_the_way_and_resets_both_sides() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DelayProxy proxy = new DelayProxy("t", 0, target.getLocalPort(), Duration.ofSeconds(3));
             Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
             Socket server = target.accept()) {
            client.setSoTimeout(5000);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openLinks() == 1);
            server.getOutputStream().write("wal record".getBytes());
            server.getOutputStream().flush();
            // the bytes now wait 3 s in the proxy
            proxy.sever();

            InputStream in = client.getInputStream();
            assertThatThrownBy(() -> {
                int b = in.read();
                if (b != -1) {
                    throw new AssertionError("a byte queued before the cut arrived: " + (char) b);
                }
                throw new IOException("closed without the queued bytes");
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_release_follows_the_current_delay_but_never_overtakes_bytes_read_before() {
        long ms = 1_000_000L;
        assertThat(DelayProxy.releaseAt(1000 * ms, 400 * ms, 900 * ms)).isEqualTo(1400 * ms);  // switched on
        assertThat(DelayProxy.releaseAt(1000 * ms, 0, 1300 * ms)).isEqualTo(1300 * ms);        // switched off: queued first
        assertThat(DelayProxy.releaseAt(1500 * ms, 0, 1300 * ms)).isEqualTo(1500 * ms);        // drained: at once
        assertThat(DelayProxy.releaseAt(Long.MAX_VALUE - 5, 10, Long.MAX_VALUE - 20)).isEqualTo(Long.MAX_VALUE + 5); // nanoTime wraps
    }

    @Test
    void the_delay_can_be_switched_on_and_off_on_an_open_link() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DelayProxy proxy = new DelayProxy("t", 0, target.getLocalPort(), Duration.ZERO);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
             Socket server = target.accept()) {
            server.setSoTimeout(5000);
            InputStream in = server.getInputStream();
            client.getOutputStream().write('a');
            assertThat(in.read()).isEqualTo('a');

            proxy.delay(Duration.ofMillis(400));
            long sent = System.nanoTime();
            client.getOutputStream().write('b');
            assertThat(in.read()).isEqualTo('b');
            assertThat((System.nanoTime() - sent) / 1_000_000).isBetween(400L, 3000L);

            proxy.delay(Duration.ZERO);
            sent = System.nanoTime();
            client.getOutputStream().write('c');
            assertThat(in.read()).isEqualTo('c');
            assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(390L);
            assertThatThrownBy(() -> proxy.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
