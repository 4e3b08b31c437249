package io.pgha.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 that forwards to a target port and delays every byte by a fixed time in each
 * direction: replication latency on loopback, where this kernel has no netem. Reading never waits for the
 * delay (bytes queue with their release time), so throughput is not limited by it, as on a real link.
 *
 * <p>A side that closes (FIN) has its close passed on after the queued bytes, like any data. A side that
 * fails (reset) resets the link at once, dropping what is queued. {@link #sever()} does the same on purpose:
 * the harness calls it when it kills the host behind the target (kill -9 of a primary), since the delay
 * stands for that host's queues and wire, which die with it. So a primary killed while its last WAL is
 * "on the way" loses that WAL at the standby: the asynchronous loss window this proxy exists to expose.
 *
 * <p>The delay can be changed while links are open ({@link #delay(Duration)}: the slow-etcd fault switches
 * it on and off). Bytes read after the change get the new delay, but never leave before bytes read earlier:
 * a stream is never reordered, so switching the delay off lets what is queued drain first.
 */
public final class DelayProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DelayProxy.class);
    private static final int CHUNK = 64 * 1024;

    private final String name;
    private final int targetPort;
    private volatile long delayNanos;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong linkCount = new AtomicLong();
    private volatile boolean closed;

    /** Binds 127.0.0.1:{@code listenPort} (0: any free port) at once and starts accepting. */
    public DelayProxy(String name, int listenPort, int targetPort, Duration delay) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.delayNanos = delay.toNanos();
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        Thread acceptor = new Thread(this::accept, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("proxy {}: 127.0.0.1:{} -> 127.0.0.1:{}, {} ms each way", name, port(), targetPort, delay.toMillis());
    }

    /** Bytes read from now on are held back by {@code delay} (each direction). */
    public void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        delayNanos = delay.toNanos();
        LOG.info("proxy {}: delay now {} ms each way", name, delay.toMillis());
    }

    /**
     * When bytes read at {@code nowNanos} leave: after the current delay, and not before the bytes read before
     * them ({@code previousNanos}), whatever the delay was then. Pure.
     */
    static long releaseAt(long nowNanos, long delayNanos, long previousNanos) {
        long at = nowNanos + delayNanos;
        return at - previousNanos < 0 ? previousNanos : at;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Links currently open. */
    public int openLinks() {
        return links.size();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("proxy {}: accept failed, no more connections: {}", name, e.toString());
                }
                return;
            }
            long id = linkCount.incrementAndGet();
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
            } catch (IOException e) {
                LOG.info("proxy {}: link {} from port {}: target 127.0.0.1:{} unreachable ({}), closing",
                        name, id, client.getPort(), targetPort, e.getMessage());
                reset(client);
                reset(upstream);
                continue;
            }
            Link link = new Link(id, client, upstream);
            links.add(link);
            link.start();
        }
    }

    /** Two sockets and, per direction, a reader that queues and a writer that releases after the delay. */
    private final class Link {
        private final long id;
        private final Socket client;
        private final Socket upstream;
        private final AtomicLong order = new AtomicLong();
        private int closedDirections;
        private volatile boolean down;

        Link(long id, Socket client, Socket upstream) {
            this.id = id;
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            LOG.info("proxy {}: link {} opened from port {}", name, id, client.getPort());
            direction("up", client, upstream);
            direction("down", upstream, client);
        }

        private void direction(String label, Socket from, Socket to) {
            DelayQueue<Chunk> queue = new DelayQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    InputStream in = from.getInputStream();
                    byte[] buf = new byte[CHUNK];
                    int n;
                    long last = System.nanoTime();
                    while ((n = in.read(buf)) >= 0) {
                        last = releaseAt(System.nanoTime(), delayNanos, last);
                        queue.put(new Chunk(Arrays.copyOf(buf, n), last, order.incrementAndGet()));
                    }
                    queue.put(new Chunk(null, releaseAt(System.nanoTime(), delayNanos, last), order.incrementAndGet()));
                } catch (IOException e) {
                    shut(label + ": " + e.getMessage());
                }
            }, "proxy-" + name + "-" + id + "-" + label + "-in");
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = to.getOutputStream();
                    while (!down) {
                        Chunk c = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (c == null || down) {
                            continue;
                        }
                        if (c.data() == null) {
                            to.shutdownOutput();
                            directionClosed(label);
                            return;
                        }
                        out.write(c.data());
                        out.flush();
                    }
                } catch (IOException e) {
                    shut(label + " write: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    shut(label + " interrupted");
                }
            }, "proxy-" + name + "-" + id + "-" + label + "-out");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        /** A side's close has been passed on; when both have, the link is done. */
        private synchronized void directionClosed(String label) {
            if (++closedDirections == 2 && !down) {
                down = true;
                links.remove(this);
                closePlainly(client);
                closePlainly(upstream);
                LOG.info("proxy {}: link {} closed by both sides", name, id);
            }
        }

        /** Drops whatever is queued and resets both connections; once. */
        synchronized void shut(String why) {
            if (down) {
                return;
            }
            down = true;
            reset(client);
            reset(upstream);
            links.remove(this);
            LOG.info("proxy {}: link {} reset ({}); bytes still queued were dropped", name, id, why);
        }
    }

    private record Chunk(byte[] data, long releaseNanos, long order) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(releaseNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Chunk c = (Chunk) o;
            int byTime = Long.compare(releaseNanos, c.releaseNanos);
            return byTime != 0 ? byTime : Long.compare(order, c.order);
        }
    }

    /**
     * Resets every open link at once, dropping the bytes queued in either direction: what the network does to
     * connections of a host that has just died.
     */
    public void sever() {
        links.forEach(l -> l.shut("severed"));
    }

    private void closePlainly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.warn("proxy {}: closing a socket failed: {}", name, e.getMessage());
        }
    }

    /** Closes with a reset (SO_LINGER 0), as a connection to a vanished host ends. */
    private void reset(Socket s) {
        try {
            if (!s.isClosed()) {
                if (s.isConnected()) {
                    s.setSoLinger(true, 0);
                }
                s.close();
            }
        } catch (SocketException e) {
            LOG.debug("proxy {}: SO_LINGER on a closing socket failed ({}); closing plainly", name, e.getMessage());
            closePlainly(s);
        } catch (IOException e) {
            LOG.warn("proxy {}: closing a socket failed: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("proxy {}: closing the listening socket failed: {}", name, e.getMessage());
        }
        links.forEach(l -> l.shut("proxy closed"));
    }
}
