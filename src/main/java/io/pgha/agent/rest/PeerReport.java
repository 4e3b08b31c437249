package io.pgha.agent.rest;

import java.util.Map;

/**
 * What one peer's GET /patroni said, distilled for the election (patroni-compat.md §3.4).
 *
 * @param reachable      false when the peer did not answer in time or answered something that is not a
 *                       node status with an {@code xlog} object; the election ignores such peers
 * @param isPrimary      the peer is not in recovery: {@code xlog.location} present or role master/primary
 * @param walPosition    a primary's {@code location}, else max(received_location, replayed_location)
 * @param timeline       0 when not reported
 * @param state          PostgreSQL state as reported, null when unreachable
 * @param tags           the peer's published tags, empty when none
 * @param watchdogFailed the peer says its required watchdog is broken; the election skips it
 */
public record PeerReport(String name, boolean reachable, boolean isPrimary, long walPosition, int timeline,
                         String state, Map<String, Object> tags, boolean watchdogFailed) {

    public PeerReport {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static PeerReport unreachable(String name) {
        return new PeerReport(name, false, false, 0, 0, null, Map.of(), false);
    }
}
