package io.pgha.agent.rest;

import io.pgha.agent.ha.ReplicationRow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders a {@link NodeStatus} as Patroni's node-status JSON (patroni-compat.md §5.3), the body of
 * GET /patroni and of every health path. Keys appear in Patroni's order; optional keys are left out
 * rather than written as null/false, because peers and patronictl test for their presence.
 */
public final class StatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {}

    /** The body as bytes (UTF-8), ready to send. */
    public static byte[] toBytes(NodeStatus s) {
        try {
            return MAPPER.writeValueAsBytes(toTree(s));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot render node status of " + s.name(), e);
        }
    }

    public static ObjectNode toTree(NodeStatus s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("state", s.state());
        putIfPresent(o, "postmaster_start_time", s.postmasterStartTime());
        o.put("role", s.role());
        if (s.serverVersion() != null) {
            o.put("server_version", s.serverVersion());
        }
        putXlog(o, s);
        if (s.syncStandby()) {
            o.put("sync_standby", true);
        }
        if (s.timeline() != null) {
            o.put("timeline", s.timeline());
        }
        putIfPresent(o, "replication_state", s.replicationState());
        if (s.replication() != null && !s.replication().isEmpty()) {
            var rows = o.putArray("replication");
            for (ReplicationRow r : s.replication()) {
                rows.addObject()
                        .put("usename", r.usename())
                        .put("application_name", r.applicationName())
                        .put("client_addr", r.clientAddr())
                        .put("state", r.state())
                        .put("sync_state", r.syncState())
                        .put("sync_priority", r.syncPriority());
            }
        }
        if (s.paused()) {
            o.put("pause", true);
        }
        if (s.clusterUnlocked()) {
            o.put("cluster_unlocked", true);
        }
        o.put("dcs_last_seen", s.dcsLastSeen());
        putTags(o, s.tags());
        putIfPresent(o, "database_system_identifier", s.systemIdentifier());
        if (s.pendingRestart()) {
            o.put("pending_restart", true);
        }
        if (s.safetyFault() != null) {
            o.put("watchdog_failed", true); // Patroni's flag: peers leave such a member out of every election
        }
        o.putObject("patroni")
                .put("version", s.agentVersion())
                .put("scope", s.scope())
                .put("name", s.name());
        return o;
    }

    /**
     * Peers tell a primary from a replica by the shape of {@code xlog}: {@code location} for a primary,
     * received/replayed locations for a replica. Absent when PostgreSQL's positions are unknown (not running).
     */
    private static void putXlog(ObjectNode o, NodeStatus s) {
        if (s.xlogLocation() != null) {
            o.putObject("xlog").put("location", s.xlogLocation());
        } else if (s.replayedLocation() != null || s.receivedLocation() != null) {
            ObjectNode x = o.putObject("xlog");
            // Patroni falls back to the replayed position when no WAL receiver reports one.
            Long received = s.receivedLocation() != null ? s.receivedLocation() : s.replayedLocation();
            x.put("received_location", received);
            x.put("replayed_location", s.replayedLocation());
            x.put("replayed_timestamp", s.replayedTimestamp());
            x.put("paused", Boolean.TRUE.equals(s.replayPaused()));
        }
    }

    private static void putTags(ObjectNode o, Map<String, Object> tags) {
        if (tags != null && !tags.isEmpty()) {
            o.set("tags", MAPPER.valueToTree(tags));
        }
    }

    private static void putIfPresent(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
