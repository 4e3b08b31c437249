package io.pgha.agent.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request as routes see it, free of the HTTP server's types.
 *
 * @param path    decoded path without the query string
 * @param query   first value of each query parameter; blank values are dropped (Python's parse_qs default,
 *                so {@code ?lag=} means "no lag limit" as in Patroni)
 * @param headers request headers (case-insensitive lookup)
 * @param body    request body, empty when none
 */
public record RestRequest(String method, String path, Map<String, String> query,
                          Map<String, List<String>> headers, byte[] body) {

    /** Parses a raw (still percent-encoded) query string; null or empty gives an empty map. */
    public static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                continue; // no name or no value
            }
            out.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s; // like parse_qs, keep a malformed %-escape as literal text instead of failing the probe
        }
    }
}
