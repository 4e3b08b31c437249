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
    /** A day: longer than any restart, and small enough for every deadline computed from it. */
    static final long MAX_TIMEOUT_SECONDS = 86_400;

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
        try {
            return parseFields(body, nowMillis);
        } catch (JsonFields.WrongType e) {
            throw new Invalid(400, e.getMessage());
        }
    }

    private static RestartRequest parseFields(JsonNode body, long nowMillis) throws Invalid, JsonFields.WrongType {
        String schedule = JsonFields.string(body, "schedule");
        Long at = schedule == null ? null : Schedules.parse(schedule, "restart", nowMillis);
        String role = null;
        String roleText = JsonFields.string(body, "role");
        if (roleText != null) {
            role = switch (roleText) {
                case "master", "primary" -> "primary";
                case "replica" -> "replica";
                default -> throw new Invalid(400, "PostgreSQL role should be either primary or replica");
            };
        }
        String version = JsonFields.string(body, "postgres_version");
        // at most 4 digits a part: the parts are compared as ints (serverOlderThanRequested)
        if (version != null && !version.matches("\\d{1,4}(\\.\\d{1,4}){0,2}")) {
            throw new Invalid(400, "PostgreSQL version should be in the first.major.minor format");
        }
        Integer timeout = timeout(body.get("timeout"));
        boolean pending = JsonFields.bool(body, "restart_pending", false);
        return new RestartRequest(at, role, version, timeout, pending);
    }

    /** Patroni takes a number of seconds or a text such as "30" or "30s"; anything else is refused. */
    private static Integer timeout(JsonNode t) throws Invalid, JsonFields.WrongType {
        if (t == null || t.isNull()) {
            return null;
        }
        long seconds;
        if (t.isIntegralNumber() && t.canConvertToLong()) {
            seconds = t.longValue();
        } else if (t.isTextual() && t.textValue().matches("\\d{1,9}s?")) {
            seconds = Long.parseLong(t.textValue().replaceAll("s$", ""));
        } else if (t.isNumber() || t.isTextual()) {
            throw new Invalid(400, "Timeout should be a positive number of seconds");
        } else {
            throw new JsonFields.WrongType("timeout", "a number of seconds or a string such as \"30s\"");
        }
        if (seconds <= 0) {
            throw new Invalid(400, "Timeout should be a positive number of seconds");
        }
        if (seconds > MAX_TIMEOUT_SECONDS) {
            throw new Invalid(400, "Timeout should be at most " + MAX_TIMEOUT_SECONDS + " seconds");
        }
        return (int) seconds;
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
            long at;
            try {
                at = t.toInstant().toEpochMilli();
            } catch (ArithmeticException beyondMillis) { // e.g. the year +999999999
                throw new Invalid(400, "Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. ISO 8601");
            }
            if (at < nowMillis) {
                throw new Invalid(422, "Cannot schedule " + action + " in the past");
            }
            return at;
        }
    }
}
