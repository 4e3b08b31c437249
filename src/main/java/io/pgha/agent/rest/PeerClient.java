package io.pgha.agent.rest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks peers for their status during an election (patroni-compat.md §3.4, §5.7): one unauthenticated
 * GET of each member's {@code api_url}, all in parallel, one attempt each, bounded by a deadline.
 * A peer that does not answer well in time is reported unreachable; the DCS lock, not a quorum of
 * peers, decides who wins, so a slow peer must never hold up the election.
 */
public final class PeerClient {

    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

    private final Duration timeout;
    private final HttpClient http;

    /** @param timeout budget of one peer call, connection included (Patroni uses 2 s) */
    public PeerClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // Patroni's server speaks HTTP/1.0; skip the h2c upgrade
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(apiUrl)).timeout(timeout).GET().build();
        } catch (IllegalArgumentException badUrl) {
            log.warn("Request failed to {}: GET {} ({})", name, apiUrl, badUrl.toString());
            return CompletableFuture.completedFuture(PeerReport.unreachable(name));
        }
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        // The request timeout stops at the response headers; this deadline also covers a body that never
        // ends. cancel(true) aborts the exchange (JDK 16+), so a hung peer does not keep a connection.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, Runnable::run)
                .execute(() -> call.cancel(true));
        return call.handle((response, error) -> {
            if (error != null) {
                log.warn("Request failed to {}: GET {} ({})", name, apiUrl, describe(error));
                return PeerReport.unreachable(name);
            }
            try {
                return PeerStatusParser.parse(name, response.body());
            } catch (java.io.IOException malformed) {
                log.warn("Bad status from {}: GET {} answered {} ({})", name, apiUrl, response.statusCode(),
                        malformed.getMessage());
                return PeerReport.unreachable(name);
            }
        });
    }

    private String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return cause.toString();
    }
}
