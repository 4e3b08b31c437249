package io.pgha.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;

/**
 * The cluster as Patroni's {@code GET /cluster} renders it (patroni-compat.md §5.4): members sorted by name
 * with role, state, addresses, timeline and lag in bytes, plus pause and a scheduled switchover. Pure.
 */
public final class ClusterJson {

    private ClusterJson() {}

    public static ObjectNode of(String scope, Cluster c) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        ArrayNode members = out.putArray("members");
        for (String name : c.memberNames()) {
            Member m = c.members().get(name);
            boolean leader = c.hasLeader(name);
            ObjectNode n = members.addObject();
            n.put("name", name);
            n.put("role", leader ? (standbyCluster(c) ? "standby_leader" : "leader") : isSyncStandby(c, name) ? "sync_standby" : "replica");
            String state = m.data().path("replication_state").asText(null);
            n.put("state", !leader && state != null ? state : m.state());
            if (m.apiUrl() != null) {
                n.put("api_url", m.apiUrl());
            }
            if (m.connUrl() != null) {
                try {
                    URI u = URI.create(m.connUrl());
                    n.put("host", u.getHost());
                    n.put("port", u.getPort() < 0 ? 5432 : u.getPort());
                } catch (IllegalArgumentException ignored) {
                    // a member that published an unreadable conn_url is listed without an address
                }
            }
            if (m.timeline() > 0) {
                n.put("timeline", m.timeline());
            }
            if (m.data().path("pending_restart").asBoolean(false)) {
                n.put("pending_restart", true);
            }
            if (m.data().has("scheduled_restart")) {
                n.set("scheduled_restart", m.data().get("scheduled_restart"));
            }
            if (m.data().path("tags").isObject() && !m.data().get("tags").isEmpty()) {
                n.set("tags", m.data().get("tags"));
            }
            if (!leader) {
                long x = m.xlogLocation();
                if (x < 0) {
                    n.put("lag", "unknown");
                } else {
                    n.put("lag", Math.max(0, c.optime() - x));
                }
            }
        }
        if (c.paused()) {
            out.put("pause", true);
        }
        JsonNode fo = c.failover();
        if (fo != null && fo.hasNonNull("scheduled_at")) {
            ObjectNode s = out.putObject("scheduled_switchover");
            s.put("at", fo.get("scheduled_at").asText());
            if (fo.hasNonNull("leader")) {
                s.put("from", fo.get("leader").asText());
            }
            if (fo.hasNonNull("member")) {
                s.put("to", fo.get("member").asText());
            }
        }
        out.put("scope", scope);
        return out;
    }

    public static boolean isSyncStandby(Cluster c, String name) {
        return c.sync() != null && c.sync().hasNonNull("sync_standby")
                && List.of(c.sync().get("sync_standby").asText().split(",")).contains(name);
    }

    private static boolean standbyCluster(Cluster c) {
        JsonNode sc = c.config() == null ? null : c.config().get("standby_cluster");
        return sc != null && (sc.hasNonNull("host") || sc.hasNonNull("port") || sc.hasNonNull("restore_command"));
    }
}
