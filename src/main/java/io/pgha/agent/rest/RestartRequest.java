package io.pgha.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of POST /restart, validated like Patroni does (patroni-compat.md §5.5).
 *
 * @param scheduledAt    epoch millis, or null for "now"
 * @param role           "primary" or "replica" (Patroni's "master" is read as primary), or null for any
 * @param postgresVersion restart only if the running server is older than this (e.g. "15.4"), or null
 * @param timeoutSeconds how long to wait for PostgreSQL to come back, or null for the default
 * @param restartPending restart only if PostgreSQL reports pending_restart
 */
public record RestartRequest(Long scheduledAt, String role, String postgresVersion, Integer timeoutSeconds,
                             boolean restartPending) {

    private static final Set<String> KEYS = Set.of("schedule", "role", "postgres_version", "timeout", "restart_pending");

    /** Thrown for a request Patroni rejects; carries its status code and message. */
    public static final class Invalid extends Exception {
        private final int status;

        Invalid(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public static RestartRequest parse(JsonNode body, long nowMillis) throws Invalid {
        if (body == null || body.isNull() || body.isEmpty()) {
            return new RestartRequest(null, null, null, null, false);
        }
        if (!body.isObject()) {
            throw new Invalid(400, "Bad restart request: a JSON object is expected");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new Invalid(400, "Unknown filter for the scheduled restart: " + k);
            }
        }
        Long at = null;
        if (body.hasNonNull("schedule")) {
            at = Schedules.parse(body.get("schedule").asText(), "restart", nowMillis);
        }
        String role = null;
        if (body.hasNonNull("role")) {
            role = switch (body.get("role").asText()) {
                case "master", "primary" -> "primary";
                case "replica" -> "replica";
                default -> throw new Invalid(400, "PostgreSQL role should be either primary or replica");
            };
        }
        String version = null;
        if (body.hasNonNull("postgres_version")) {
            version = body.get("postgres_version").asText();
            if (!version.matches("\\d+(\\.\\d+){0,2}")) {
                throw new Invalid(400, "PostgreSQL version should be in the first.major.minor format");
            }
        }
        Integer timeout = null;
        if (body.hasNonNull("timeout")) {
            JsonNode t = body.get("timeout");
            String text = t.asText().replaceAll("s$", "");
            try {
                timeout = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new Invalid(400, "Timeout should be a number of seconds");
            }
            if (timeout <= 0) {
                throw new Invalid(400, "Timeout should be a positive number of seconds");
            }
        }
        boolean pending = body.has("restart_pending") && body.get("restart_pending").asBoolean(false);
        return new RestartRequest(at, role, version, timeout, pending);
    }

    /** Server version number (e.g. 150004) as PostgreSQL reports it, compared with {@link #postgresVersion}. */
    public boolean serverOlderThanRequested(int serverVersionNum) {
        if (postgresVersion == null) {
            return true;
        }
        String[] p = postgresVersion.split("\\.");
        int major = Integer.parseInt(p[0]);
        int wanted = major >= 10 ? major * 10000 + (p.length > 1 ? Integer.parseInt(p[1]) : 0)
                : major * 10000 + (p.length > 1 ? Integer.parseInt(p[1]) * 100 : 0) + (p.length > 2 ? Integer.parseInt(p[2]) : 0);
        return serverVersionNum < wanted;
    }

    /** Parsing of schedules shared by restarts and switchovers. */
    public static final class Schedules {
        private Schedules() {}

        /** Python's isoformat() of an aware datetime, as Patroni stores schedules: 2026-11-28T10:00:00+00:00. */
        public static String isoformat(long epochMillis) {
            return io.pgha.contract.PyIsoTime.isoformat(java.time.Instant.ofEpochMilli(epochMillis).atOffset(java.time.ZoneOffset.UTC));
        }

        /** Epoch millis of an ISO-8601 time with an offset; Patroni's messages for the rest. */
        public static long parse(String text, String action, long nowMillis) throws Invalid {
            OffsetDateTime t;
            try {
                t = OffsetDateTime.parse(text.trim().replace(' ', 'T'));
            } catch (DateTimeParseException e) {
                try {
                    java.time.LocalDateTime.parse(text.trim().replace(' ', 'T'));
                } catch (DateTimeParseException notEvenLocal) {
                    throw new Invalid(400, "Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. ISO 8601");
                }
                throw new Invalid(400, "Timezone information is mandatory for the scheduled " + action);
            }
            long at = t.toInstant().toEpochMilli();
            if (at < nowMillis) {
                throw new Invalid(422, "Cannot schedule " + action + " in the past");
            }
            return at;
        }
    }
}
