package io.pgha.agent.ha;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A pending manual switchover or failover: the DCS {@code failover} key (patroni-compat.md §1.3.7).
 *
 * @param leader       the primary to switch over from; null for a failover (any leader)
 * @param candidate    the member to take over (the key's {@code member} field); null for "any healthy one"
 * @param scheduledAt  epoch millis of a scheduled switchover, or null for "now"
 */
public record FailoverRequest(String leader, String candidate, Long scheduledAt) {

    /** The request in the key, or null when none is pending ({@code {}}, an empty or unreadable value). */
    public static FailoverRequest from(JsonNode key) {
        if (key == null || !key.isObject()) {
            return null;
        }
        String leader = text(key.get("leader"));
        String member = text(key.get("member"));
        if (leader == null && member == null) {
            return null;
        }
        Long at = null;
        String when = text(key.get("scheduled_at"));
        if (when != null) {
            try {
                at = OffsetDateTime.parse(when).toInstant().toEpochMilli();
            } catch (DateTimeParseException unreadable) {
                at = null; // Patroni ignores a schedule it cannot parse and acts at once
            }
        }
        return new FailoverRequest(leader, member, at);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }
}
