package io.pgha.agent.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Patroni-compatible REST API (patroni-compat.md §5).
 *
 * <p>Routing follows Patroni: {@code <METHOD> /<first path segment>} selects a handler from a route table;
 * a GET no route claims is a health check (status from {@link HealthRules}, body from {@link StatusJson});
 * HEAD and OPTIONS answer what GET on the same path would, status line only (HAProxy's probes); any other
 * unrouted method answers 501. The cluster and write endpoints plug in through {@link #route}.
 *
 * <p>A write (any request that is not a GET, HEAD or OPTIONS) passes the {@link AccessCheck} on its headers and
 * address before a byte of its body is read: a refused one gets its 401/403 and its connection is closed. Then
 * it needs one of {@link HttpServerLimits#WRITES_IN_FLIGHT} slots (503 when none is free) and a body within
 * {@link HttpServerLimits#bodyLimit} (413). Reads never read a body. How slow and idle clients are kept from
 * holding what the health checks need: {@link HttpServerLimits}.
 *
 * <p>Every probe reply reads only the agent's cached {@link NodeStatus}, so probes cost no DCS or SQL round trip.
 */
public final class RestApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    private static final byte[] NO_BODY = new byte[0];
    /** Exchange attribute: the request's body was read to its end (the connection can serve another request). */
    private static final String BODY_READ = "pgha.bodyRead";

    static {
        HttpServerLimits.applyJvmWide(); // before the first HttpServer is created: the JDK reads them once
    }

    private final NodeStatusSource source;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, RouteHandler> routes = new ConcurrentHashMap<>();
    private final Semaphore writes = new Semaphore(HttpServerLimits.WRITES_IN_FLIGHT);
    private final RouteHandler healthCheck;
    private volatile AccessCheck access = new AccessCheck(null, null, java.util.List.of());
    private final boolean clientCertForWrites;
    /** Last status served, only to name the member in error logs when the source itself fails. */
    private volatile NodeStatus lastStatus;

    /** Binds the listening socket at once (port 0 picks a free port, see {@link #port()}). */
    public RestApi(String host, int port, NodeStatusSource source) {
        this(host, port, source, null, "none");
    }

    /**
     * HTTPS when {@code tls} is given. {@code verifyClient}: none; optional (the TLS handshake asks for a client
     * certificate, and the write endpoints refuse callers without one: 403); required (no certificate, no
     * connection), as Patroni's restapi.verify_client.
     */
    public RestApi(String host, int port, NodeStatusSource source, javax.net.ssl.SSLContext tls, String verifyClient) {
        this.source = source;
        this.clientCertForWrites = tls != null && !"none".equals(verifyClient);
        try {
            if (tls == null) {
                this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
            } else {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(host, port), 0);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls) {
                    @Override
                    public void configure(com.sun.net.httpserver.HttpsParameters params) {
                        javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
                        if ("required".equals(verifyClient)) {
                            p.setNeedClientAuth(true);
                        } else if ("optional".equals(verifyClient)) {
                            p.setWantClientAuth(true);
                        }
                        params.setSSLParameters(p);
                    }
                });
                this.server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        this.executor = HttpServerLimits.exchangeThreads();
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        this.healthCheck = req -> {
            NodeStatus s = status();
            int code = HealthRules.statusCode(req.path(), req.query(), s, System.currentTimeMillis());
            // HAProxy probes read the status only: do not render JSON for them.
            return isProbe(req.method()) ? RestReply.statusOnly(code) : RestReply.json(code, StatusJson.toBytes(s));
        };
        route("GET", "patroni", req -> {
            NodeStatus fresh = source.fresh();
            lastStatus = fresh;
            return RestReply.json(200, StatusJson.toBytes(fresh));
        });
        route("GET", "liveness", req -> RestReply.statusOnly(
                HealthRules.liveness(status(), System.currentTimeMillis())));
        route("GET", "readiness", req -> RestReply.statusOnly(HealthRules.readiness(status())));
    }

    /**
     * Registers (or replaces) the handler of {@code <method> /<firstSegment>[/...]}; may be called at any
     * time. Registering GET for a segment also defines HEAD and OPTIONS on it unless they have their own.
     */
    public RestApi route(String method, String firstSegment, RouteHandler handler) {
        routes.put(key(method, firstSegment), handler);
        return this;
    }

    /** Guards every request that is not a GET, HEAD or OPTIONS (Basic authentication, allowlist). */
    public RestApi accessCheck(AccessCheck check) {
        this.access = check;
        return this;
    }

    public void start() {
        server.start();
        log.info("REST API listening on {}", server.getAddress());
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private NodeStatus status() {
        NodeStatus s = source.current();
        lastStatus = s;
        return s;
    }

    /**
     * Handles one exchange. An I/O error while replying (HAProxy resets its check connections as soon as it
     * has the status line) is passed back to the JDK server: only then does it drop the connection from its
     * own bookkeeping. Swallowed, each such reset left a connection, its socket and its buffers behind for
     * good (about one per second per agent under HAProxy's checks).
     */
    private void dispatch(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = ex.getRequestURI().getPath();
        RestReply reply;
        long t0 = System.nanoTime();
        try {
            reply = answer(ex, method, path);
            if (!method.equals("GET") && !isProbe(method)) {
                NodeStatus s = lastStatus != null ? lastStatus : status();
                log.info("[{}/{}] REST {} {} from {}: {} in {} ms", s.scope(), s.name(), method, path,
                        ex.getRemoteAddress().getAddress().getHostAddress(), reply.status(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (Exception e) {
            fail(ex, method, path, e);
            ex.close();
            return;
        }
        try {
            send(ex, reply, reply.body() == null || isProbe(method));
        } catch (IOException clientGone) {
            log.debug("REST {} {}: reply cut short: {}", method, path, clientGone.toString());
            throw clientGone;
        }
        ex.close();
    }

    private RestReply answer(HttpExchange ex, String method, String path) throws Exception {
        String segment = HealthRules.firstSegment(path);
        RouteHandler handler = routes.get(key(method, segment));
        boolean read = method.equals("GET") || isProbe(method);
        if (handler == null && read) {
            handler = routes.getOrDefault(key("GET", segment), healthCheck);
        }
        if (handler == null) {
            return RestReply.text(501, "Unsupported method ('" + method + "')");
        }
        RestRequest head = toRequest(ex, method, path, NO_BODY);
        if (read) {
            return handler.handle(head);
        }
        // who is asking first, from the headers and the address alone: nobody unauthenticated gets a body read
        if (clientCertForWrites && !hasClientCertificate(ex)) {
            return RestReply.text(403, "client certificate required");
        }
        RestReply refused = access.check(head, ex.getRemoteAddress().getAddress());
        if (refused != null) {
            return refused;
        }
        if (!writes.tryAcquire()) {
            return RestReply.text(503, "Too many write requests in progress, try again");
        }
        try {
            byte[] body;
            try {
                body = RequestBody.read(ex, HttpServerLimits.bodyLimit(method, segment));
            } catch (RequestBody.TooLarge e) {
                return RestReply.text(413, e.getMessage());
            } catch (IOException cut) { // the client stopped sending, or took longer than allowed
                return RestReply.text(400, "Bad Request: the body could not be read");
            }
            ex.setAttribute(BODY_READ, Boolean.TRUE);
            return handler.handle(toRequest(ex, method, path, body));
        } finally {
            writes.release();
        }
    }

    private static boolean hasClientCertificate(HttpExchange ex) {
        if (!(ex instanceof com.sun.net.httpserver.HttpsExchange hx)) {
            return false;
        }
        try {
            return hx.getSSLSession().getPeerCertificates().length > 0;
        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
            return false; // the client sent no certificate: that is the answer, not an error
        }
    }

    /** HEAD and OPTIONS are how HAProxy probes: they get GET's status code and nothing else. */
    private static boolean isProbe(String method) {
        return method.equals("HEAD") || method.equals("OPTIONS");
    }

    private static RestRequest toRequest(HttpExchange ex, String method, String path, byte[] body) {
        return new RestRequest(method, path, RestRequest.parseQuery(ex.getRequestURI().getRawQuery()),
                ex.getRequestHeaders(), body);
    }

    private static void send(HttpExchange ex, RestReply reply, boolean statusOnly) throws IOException {
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (ex.getAttribute(BODY_READ) == null && RequestBody.announced(ex)) {
            // the rest of the body stays unread: the client may not send another request on this connection
            ex.getResponseHeaders().set("Connection", "close");
        }
        if (reply.contentType() != null && !statusOnly) {
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        if (statusOnly) {
            ex.sendResponseHeaders(reply.status(), -1);
            return;
        }
        ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply.body());
        }
    }

    /** Answers 500 with the message if nothing was sent yet; one log line either way. */
    private void fail(HttpExchange ex, String method, String path, Exception e) {
        NodeStatus s = lastStatus;
        String who = s == null ? "?" : s.scope() + "/" + s.name();
        if (ex.getResponseCode() != -1) {
            // Headers already out, so the client went away mid-reply: HAProxy closes its health checks with a
            // reset as soon as it has the status line, several times a second, so this is routine.
            log.debug("[{}] REST {} {}: reply cut short: {}", who, method, path, e.toString());
            return;
        }
        log.error("[{}] REST {} {} failed: {}", who, method, path, e.toString());
        log.debug("[{}] REST {} {} failure detail", who, method, path, e);
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        try {
            send(ex, RestReply.text(500, message), isProbe(method));
        } catch (IOException | RuntimeException sendFailed) {
            log.warn("[{}] REST {} {}: could not send the 500 reply: {}", who, method, path, sendFailed.toString());
        }
    }

    private static String key(String method, String segment) {
        return method.toUpperCase(Locale.ROOT) + " " + segment;
    }
}
