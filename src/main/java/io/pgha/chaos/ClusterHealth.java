package io.pgha.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.local.LocalLayout;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Is the cluster whole? Exactly one member answers 200 on GET /primary (what HAProxy routes by); that
 * member's PostgreSQL, asked over SQL right now (the agents answer REST from their cached state), is not in
 * recovery and lists every other member as {@code streaming} in pg_stat_replication; every other member
 * reports itself a running replica on the leader's timeline (GET /patroni); in synchronous mode the sync key
 * lists as many standbys as it should (GET /cluster); every etcd member is healthy.
 */
final class ClusterHealth {

    private final ClusterHandle cluster;
    private final HttpProbe http;
    private final Sql sql;

    ClusterHealth(ClusterHandle cluster, HttpProbe http, Sql sql) {
        this.cluster = cluster;
        this.http = http;
        this.sql = sql;
    }

    /** The state as a verdict: {@code missing} is empty when the cluster is whole. */
    record Verdict(String leader, String missing) {
        boolean healthy() {
            return missing.isEmpty();
        }
    }

    /** The one member answering 200 on GET /primary, if exactly one does. */
    Optional<String> leader() {
        List<String> primaries = primaries(cluster.layout());
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    private List<String> primaries(LocalLayout l) {
        List<String> primaries = new ArrayList<>();
        for (LocalLayout.Member m : l.members()) {
            if (http.status(m.restBase() + "/primary") == 200) {
                primaries.add(m.name());
            }
        }
        return primaries;
    }

    Verdict check() {
        LocalLayout l = cluster.layout();
        List<String> primaries = primaries(l);
        if (primaries.size() != 1) {
            return new Verdict(null, primaries.isEmpty() ? "a leader (no member answers 200 on GET /primary)"
                    : "a single leader (GET /primary answers 200 on " + primaries + ")");
        }
        String leader = primaries.get(0);
        Optional<JsonNode> leaderStatus = http.getJson(l.member(leader).restUrl());
        if (leaderStatus.isEmpty()) {
            return new Verdict(leader, "GET /patroni of the leader " + leader);
        }
        long timeline = leaderStatus.get().path("timeline").asLong(-1);
        Map<String, String> replication = new HashMap<>();
        try (Connection c = sql.connect(l.member(leader).postgresPort(), "pgha-chaos-health", 1, false);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), application_name, state "
                     + "FROM (SELECT 1) one LEFT JOIN pg_stat_replication ON true")) {
            while (rs.next()) {
                if (rs.getBoolean(1)) {
                    return new Verdict(leader, "the leader " + leader + "'s PostgreSQL to leave recovery");
                }
                if (rs.getString(2) != null) {
                    replication.put(rs.getString(2), rs.getString(3));
                }
            }
        } catch (SQLException e) {
            return new Verdict(leader, "a SQL connection to the leader " + leader + " (" + Sql.describe(e) + ")");
        }
        List<String> problems = new ArrayList<>();
        for (LocalLayout.Member m : l.members()) {
            if (m.name().equals(leader)) {
                continue;
            }
            Optional<JsonNode> s = http.getJson(m.restUrl());
            if (s.isEmpty()) {
                problems.add(m.name() + " does not answer GET /patroni");
            } else if (!"running".equals(s.get().path("state").asText()) || !"replica".equals(s.get().path("role").asText())) {
                problems.add(m.name() + " is " + s.get().path("role").asText() + "/" + s.get().path("state").asText());
            } else if (s.get().path("timeline").asLong(-2) != timeline) {
                problems.add(m.name() + " on timeline " + s.get().path("timeline").asLong(-2) + " (leader " + timeline + ")");
            } else if (!"streaming".equals(replication.get(m.name()))) {
                problems.add(m.name() + " not streaming from " + leader + " (" + replication.get(m.name()) + ")");
            }
        }
        syncProblem(l, leader).ifPresent(problems::add);
        for (LocalLayout.EtcdMember e : l.etcd()) {
            JsonNode h = http.getJson(e.clientUrl() + "/health").orElse(null);
            if (h == null || !"true".equals(h.path("health").asText())) {
                problems.add("etcd " + e.name() + " healthy");
            }
        }
        return new Verdict(leader, String.join("; ", problems));
    }

    /**
     * In synchronous mode only a standby listed in the sync key may take over; until the leader has listed
     * synchronous_node_count of them (it drops a standby that stopped streaming, e.g. while PostgreSQL restarts,
     * and adds it back once it has caught up) a failure of the leader would block failover, so the cluster is
     * not whole yet.
     */
    private Optional<String> syncProblem(LocalLayout l, String leader) {
        Optional<JsonNode> config = http.getJson(l.member(leader).restBase() + "/config");
        if (config.isEmpty()) {
            return Optional.of("GET /config of the leader " + leader);
        }
        if (!config.get().path("synchronous_mode").asBoolean(false)) {
            return Optional.empty();
        }
        int wanted = Math.min(config.get().path("synchronous_node_count").asInt(1), l.members().size() - 1);
        Optional<JsonNode> members = http.getJson(l.member(leader).restBase() + "/cluster");
        if (members.isEmpty()) {
            return Optional.of("GET /cluster of the leader " + leader);
        }
        List<String> sync = new ArrayList<>();
        members.get().path("members").forEach(m -> {
            if ("sync_standby".equals(m.path("role").asText())) {
                sync.add(m.path("name").asText());
            }
        });
        return sync.size() >= wanted ? Optional.empty()
                : Optional.of("the sync key to list " + wanted + " standby(s) (it lists " + sync + ")");
    }

    /** The name of etcd's raft leader, asked through each member's HTTP gateway. */
    Optional<String> etcdRaftLeader() {
        for (LocalLayout.EtcdMember e : cluster.layout().etcd()) {
            Optional<JsonNode> s = http.postJson(e.clientUrl() + "/v3/maintenance/status", "{}");
            if (s.isPresent() && !s.get().path("leader").asText().isEmpty()
                    && s.get().path("leader").asText().equals(s.get().path("header").path("member_id").asText())) {
                return Optional.of(e.name());
            }
        }
        return Optional.empty();
    }
}
