package io.pgha.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.agent.postgres.PgSnapshot;
import io.pgha.contract.AgentInfo;
import io.pgha.config.AgentSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the members/&lt;name&gt; JSON exactly as Patroni 3.0.2 writes it (patroni-compat.md §1.3.2). */
final class MemberData {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private MemberData() {}

    static ObjectNode build(AgentSettings s, String state, String role, PgSnapshot snap, boolean paused) {
        return build(s, state, role, snap, paused, false, null);
    }

    static ObjectNode build(AgentSettings s, String state, String role, PgSnapshot snap, boolean paused, boolean pendingRestart,
                            io.pgha.agent.rest.RestartRequest scheduledRestart) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("conn_url", s.connUrl());
        n.put("api_url", s.apiUrl());
        n.put("state", state);
        n.put("role", role);
        n.put("version", AgentInfo.PATRONI_COMPAT_VERSION);
        n.put("pgha_version", AgentInfo.pghaVersion());
        if (snap != null) {
            n.put("xlog_location", snap.walPosition());
            if (snap.timeline() > 0) {
                n.put("timeline", snap.timeline());
            }
            if (snap.inRecovery()) {
                n.put("replication_state", snap.streaming() ? "streaming" : "in archive recovery");
            }
        }
        Map<String, Object> tags = tags(s);
        if (!tags.isEmpty()) {
            n.set("tags", JSON.valueToTree(tags));
        }
        if (paused) {
            n.put("pause", true);
        }
        if (pendingRestart) {
            n.put("pending_restart", true);
        }
        if (scheduledRestart != null && scheduledRestart.scheduledAt() != null) {
            ObjectNode r = n.putObject("scheduled_restart");
            r.put("schedule", io.pgha.agent.rest.RestartRequest.Schedules.isoformat(scheduledRestart.scheduledAt()));
            if (scheduledRestart.role() != null) {
                r.put("role", scheduledRestart.role());
            }
            if (scheduledRestart.postgresVersion() != null) {
                r.put("postgres_version", scheduledRestart.postgresVersion());
            }
            if (scheduledRestart.restartPending()) {
                r.put("restart_pending", true);
            }
        }
        return n;
    }

    /** Patroni publishes boolean tags only when true, custom tags always. */
    static Map<String, Object> tags(AgentSettings s) {
        Map<String, Object> t = new LinkedHashMap<>();
        AgentSettings.Tags tags = s.tags();
        if (tags.nofailover()) {
            t.put("nofailover", true);
        }
        if (tags.noloadbalance()) {
            t.put("noloadbalance", true);
        }
        if (tags.clonefrom()) {
            t.put("clonefrom", true);
        }
        if (tags.nosync()) {
            t.put("nosync", true);
        }
        t.putAll(tags.custom());
        return t;
    }
}
