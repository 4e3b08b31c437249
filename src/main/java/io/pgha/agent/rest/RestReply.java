package io.pgha.agent.rest;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a route answers. A null body means "status line only" (Patroni's reply to HAProxy probes and to
 * /liveness and /readiness); HEAD and OPTIONS always send no body whatever the route returned.
 *
 * @param headers extra response headers (e.g. an ETag or WWW-Authenticate)
 */
public record RestReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public RestReply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    public static RestReply json(int status, byte[] body) {
        return new RestReply(status, "application/json", body);
    }

    /** Plain messages; Patroni labels them text/html. */
    public static RestReply text(int status, String message) {
        return new RestReply(status, "text/html; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
    }

    public static RestReply statusOnly(int status) {
        return new RestReply(status, null, null);
    }

    public RestReply withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new RestReply(status, contentType, body, Map.copyOf(h));
    }
}
