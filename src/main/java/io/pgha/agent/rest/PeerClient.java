package io.pgha.agent.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks peers for their status during an election (patroni-compat.md §3.4, §5.7): one unauthenticated
 * GET of each member's {@code api_url}, all in parallel, one attempt each, bounded by a deadline.
 * A peer that does not answer well in time is reported unreachable; the DCS lock, not a quorum of
 * peers, decides who wins, so a slow peer must never hold up the election.
 *
 * <p>Plain {@link HttpURLConnection} on short-lived daemon threads rather than the JDK's HttpClient: the
 * latter builds the default TLS context (trust store and all) when it is created, which cost every agent
 * ~14 MiB of resident memory for calls that are plain HTTP unless the REST API uses TLS.
 */
public final class PeerClient {

    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);
    private static final int MAX_BODY = 1 << 20;
    /** Marks a call whose deadline has passed. */
    private static final HttpURLConnection GAVE_UP = new HttpURLConnection(null) {
        @Override
        public void disconnect() {
        }

        @Override
        public boolean usingProxy() {
            return false;
        }

        @Override
        public void connect() {
        }
    };

    private final Duration timeout;
    // threads only while an election asks peers; they end a few seconds after
    private final ThreadPoolExecutor pool;

    private final javax.net.ssl.SSLSocketFactory tls;

    /** @param timeout budget of one peer call, connection included (Patroni uses 2 s) */
    public PeerClient(Duration timeout) {
        this(timeout, null);
    }

    /** @param tls for https peers: whom to trust (null: the JVM's default trust store) */
    public PeerClient(Duration timeout, javax.net.ssl.SSLSocketFactory tls) {
        this.timeout = timeout;
        this.tls = tls;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "pgha-peer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Fetches every peer at once; returns within about the timeout even if some peers hang.
     *
     * @param nameToApiUrl member name to its {@code api_url} (which ends in /patroni)
     * @return one report per member, in the order given
     */
    public Map<String, PeerReport> fetchAll(Map<String, String> nameToApiUrl) {
        Map<String, CompletableFuture<PeerReport>> pending = new LinkedHashMap<>();
        nameToApiUrl.forEach((name, url) -> pending.put(name, fetch(name, url)));
        Map<String, PeerReport> reports = new LinkedHashMap<>();
        pending.forEach((name, future) -> reports.put(name, future.join()));
        return reports;
    }

    /** One peer; the future always completes normally, by the timeout at the latest. */
    public CompletableFuture<PeerReport> fetch(String name, String apiUrl) {
        URL url;
        try {
            url = URI.create(apiUrl).toURL();
        } catch (IllegalArgumentException | IOException badUrl) {
            log.warn("Request failed to {}: GET {} ({})", name, apiUrl, badUrl.toString());
            return CompletableFuture.completedFuture(PeerReport.unreachable(name));
        }
        AtomicReference<HttpURLConnection> open = new AtomicReference<>();
        CompletableFuture<PeerReport> result = CompletableFuture.supplyAsync(() -> get(name, url, open), pool);
        // the connect and read timeouts bound each step; this deadline also covers a body that trickles in
        // forever: it answers "unreachable" and cuts the connection
        return result.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(report -> {
            if (report != null) {
                return report;
            }
            HttpURLConnection c = open.getAndSet(GAVE_UP);
            if (c != null && c != GAVE_UP) {
                c.disconnect();
            }
            log.warn("Request failed to {}: GET {} (no answer within {} ms)", name, apiUrl, timeout.toMillis());
            return PeerReport.unreachable(name);
        });
    }

    private PeerReport get(String name, URL url, AtomicReference<HttpURLConnection> open) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) url.openConnection();
            if (tls != null && c instanceof javax.net.ssl.HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            if (!open.compareAndSet(null, c)) {
                return PeerReport.unreachable(name); // the deadline passed before we even started
            }
            int ms = (int) Math.max(1, timeout.toMillis());
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            int code = c.getResponseCode();
            byte[] body;
            try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
                body = in == null ? new byte[0] : in.readNBytes(MAX_BODY);
            }
            try {
                return PeerStatusParser.parse(name, body);
            } catch (IOException malformed) {
                log.warn("Bad status from {}: GET {} answered {} ({})", name, url, code, malformed.getMessage());
                return PeerReport.unreachable(name);
            }
        } catch (IOException | RuntimeException e) {
            if (open.get() == GAVE_UP) {
                return PeerReport.unreachable(name); // cut off at the deadline, already reported
            }
            log.warn("Request failed to {}: GET {} ({})", name, url, e.toString());
            return PeerReport.unreachable(name);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /**
     * POSTs one JSON body to every peer at once and returns, per member, whether it answered 200 within the
     * timeout. Used by failsafe mode, where any other answer (or none) counts as "not accessible".
     *
     * @param nameToUrl   member name to the full URL to post to
     * @param basicAuth   the value of an Authorization header, or null
     */
    public Map<String, Boolean> postAll(Map<String, String> nameToUrl, String body, String basicAuth) {
        Map<String, CompletableFuture<Boolean>> pending = new LinkedHashMap<>();
        nameToUrl.forEach((name, url) -> pending.put(name, CompletableFuture.supplyAsync(() -> post(name, url, body, basicAuth), pool)
                .completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS)));
        Map<String, Boolean> out = new LinkedHashMap<>();
        pending.forEach((name, f) -> out.put(name, f.join()));
        return out;
    }

    private boolean post(String name, String url, String body, String basicAuth) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (tls != null && c instanceof javax.net.ssl.HttpsURLConnection https) {
                https.setSSLSocketFactory(tls);
            }
            int ms = (int) Math.max(1, timeout.toMillis());
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            if (basicAuth != null) {
                c.setRequestProperty("Authorization", basicAuth);
            }
            try (var out = c.getOutputStream()) {
                out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            int code = c.getResponseCode();
            if (code != 200) {
                log.warn("POST {} to {} answered {}", url, name, code);
            }
            return code == 200;
        } catch (IOException | RuntimeException e) {
            log.warn("Request failed to {}: POST {} ({})", name, url, e.toString());
            return false;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }
}
