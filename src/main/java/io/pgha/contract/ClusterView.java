package io.pgha.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster as patronictl sees it before printing (Patroni's cluster_as_json): one entry per member
 * with its display role, host and port from conn_url, lag against status.optime, and the optional
 * fields; plus pause and a scheduled switchover. Pure. Shared by pgha ctl (which prints it as patronictl
 * 3.0.2 does) and the agent's GET /cluster.
 */
public final class ClusterView {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ClusterView() {}

    public static ObjectNode of(Cluster c) {
        return of(c, false);
    }

    /**
     * @param replicationState report a replica's state as its replication_state ("streaming") where it has one,
     *                         as Patroni 3.0.4+ does in GET /cluster (the operator reads it); patronictl 3.0.2
     *                         prints the plain state
     */
    public static ObjectNode of(Cluster c, boolean replicationState) {
        ObjectNode out = F.objectNode();
        var members = out.putArray("members");
        String leader = c.leader() == null ? null : c.leader().name();
        List<String> sync = syncMembers(c);
        for (String name : c.memberNames()) {
            Member m = c.members().get(name);
            ObjectNode j = members.addObject();
            j.put("name", name);
            j.put("role", name.equals(leader) ? (isStandbyCluster(c.config()) ? "standby_leader" : "leader")
                    : sync.contains(name) ? "sync_standby" : "replica");
            String replication = replicationState && !name.equals(leader) ? m.data().path("replication_state").asText(null) : null;
            j.put("state", replication != null ? replication : m.state() == null ? "" : m.state());
            j.put("api_url", m.apiUrl());
            URI conn = connUrl(m);
            if (conn != null && conn.getHost() != null) {
                j.put("host", conn.getHost());
                j.put("port", conn.getPort() > 0 ? conn.getPort() : 5432);
            }
            for (String optional : List.of("timeline", "pending_restart", "scheduled_restart", "tags")) {
                if (m.data().has(optional)) {
                    j.set(optional, m.data().get(optional));
                }
            }
            if (!name.equals(leader)) {
                JsonNode x = m.data().get("xlog_location");
                if (x == null || x.isNull()) {
                    j.put("lag", "unknown");
                } else {
                    j.put("lag", Math.max(0, c.optime() - x.asLong()));
                }
            }
        }
        if (c.paused()) {
            out.put("pause", true);
        }
        JsonNode f = c.failover();
        if (f != null && f.hasNonNull("scheduled_at") && !f.get("scheduled_at").asText().isEmpty()) {
            ObjectNode s = out.putObject("scheduled_switchover");
            s.put("at", PyIsoTime.normalize(f.get("scheduled_at").asText()));
            if (f.hasNonNull("leader") && !f.get("leader").asText().isEmpty()) {
                s.put("from", f.get("leader").asText());
            }
            if (f.hasNonNull("member") && !f.get("member").asText().isEmpty()) {
                s.put("to", f.get("member").asText());
            }
        }
        return out;
    }

    /** Names in sync.sync_standby (comma-separated); 3.0.2 does not check that synchronous mode is on. */
    public static List<String> syncMembers(Cluster c) {
        List<String> names = new ArrayList<>();
        if (c.sync() != null && c.sync().hasNonNull("sync_standby")) {
            for (String s : c.sync().get("sync_standby").asText().split(",")) {
                if (!s.isBlank()) {
                    names.add(s.trim());
                }
            }
        }
        return names;
    }

    /** A standby_cluster section with host, port or restore_command makes the leader a "Standby Leader". */
    public static boolean isStandbyCluster(JsonNode config) {
        JsonNode s = config == null ? null : config.get("standby_cluster");
        if (s == null || !s.isObject()) {
            return false;
        }
        return truthy(s.get("host")) || truthy(s.get("port")) || truthy(s.get("restore_command"));
    }

    private static boolean truthy(JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isTextual()) {
            return !v.asText().isEmpty();
        }
        if (v.isNumber()) {
            return v.asDouble() != 0;
        }
        return !v.isBoolean() || v.asBoolean();
    }

    private static URI connUrl(Member m) {
        try {
            return m.connUrl() == null ? null : URI.create(m.connUrl());
        } catch (IllegalArgumentException e) {
            return null; // patronictl shows no host for a conn_url it cannot parse
        }
    }
}
