package io.pgha.agent.rest;

import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client may hold of the REST API, so that HAProxy's checks and the peers' calls are answered while
 * the API is abused (an unanswered check is a write outage). The JDK server reads a request's line and
 * headers on an executor thread, so a slow client holds that thread; the design is:
 *
 * <ul>
 *   <li>a thread per connection: the executor grows up to {@link #MAX_CONNECTIONS} threads with no queue, and
 *       the server accepts no more connections than that ({@code jdk.httpserver.maxConnections}; over it a new
 *       connection is closed at once). No request ever waits for a thread another client holds;
 *   <li>time limits: a request (line, headers and body) must arrive within {@link #MAX_REQUEST_SECONDS}
 *       ({@code sun.net.httpserver.maxReqTime}, checked every second), a connection that sends nothing is
 *       closed after as long, an idle keep-alive connection after {@link #IDLE_SECONDS}, and at most
 *       {@link #MAX_IDLE_CONNECTIONS} stay open idle. There is no response deadline: a switchover or a restart
 *       answers only when done, and every reply is small enough for the socket's send buffer;
 *   <li>a refused request's body is never read into memory: the reply says {@code Connection: close}, the JDK
 *       server discards at most 64 KiB of what follows (its default {@code drainAmount}: so that a client
 *       that sent a small body reads the refusal rather than a connection reset), and closes the connection;
 *   <li>bodies: only write requests that passed the access check are read, at most {@link #WRITES_IN_FLIGHT}
 *       at a time (503 beyond), each at most {@link #bodyLimit} bytes (413 beyond).
 * </ul>
 *
 * The {@code sun.net.httpserver.*} settings are JVM-wide and read once, when the first HTTP server is created;
 * an explicit {@code -D} value wins.
 */
final class HttpServerLimits {

    static final int MAX_CONNECTIONS = 64;
    static final int MAX_IDLE_CONNECTIONS = 16;
    static final int MAX_REQUEST_SECONDS = 3;
    static final int IDLE_SECONDS = 10;
    static final int WRITES_IN_FLIGHT = 8;
    /** Every Patroni endpoint's body is a few hundred bytes at most. */
    static final int BODY_LIMIT = 64 * 1024;
    /** A whole dynamic configuration (PUT /config), below etcd's default request limit of 1.5 MiB. */
    static final int CONFIG_BODY_LIMIT = 1024 * 1024;

    private HttpServerLimits() {}

    static void applyJvmWide() {
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.idleInterval", IDLE_SECONDS);
        setIfAbsent("sun.net.httpserver.clockTick", 1000); // ms between idle checks (10 s by default)
        setIfAbsent("sun.net.httpserver.maxIdleConnections", MAX_IDLE_CONNECTIONS);
        setIfAbsent("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
        // a reply goes out as two writes (headers, body): with Nagle's algorithm the body waits for the
        // client's delayed ACK, about 40 ms on every reply that has a body
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }

    /** The largest body {@code <method> /<segment>} accepts. */
    static int bodyLimit(String method, String segment) {
        String m = method.toUpperCase(Locale.ROOT);
        return segment.equals("config") && (m.equals("PUT") || m.equals("PATCH")) ? CONFIG_BODY_LIMIT : BODY_LIMIT;
    }

    /**
     * A thread for each exchange up to {@link #MAX_CONNECTIONS}, none kept beyond 4 when idle. Over the limit
     * (only if the connection limit is not in force) the JDK server closes the connection.
     */
    static ExecutorService exchangeThreads() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(4, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "pgha-rest-" + n.incrementAndGet());
            t.setDaemon(true); // a stuck probe must never keep the agent's JVM alive
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }
}
