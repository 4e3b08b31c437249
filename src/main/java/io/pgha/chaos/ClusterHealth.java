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
 * reports itself a running replica on the leader's timeline (GET /patroni); every etcd member is healthy.
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
        for (LocalLayout.EtcdMember e : l.etcd()) {
            JsonNode h = http.getJson(e.clientUrl() + "/health").orElse(null);
            if (h == null || !"true".equals(h.path("health").asText())) {
                problems.add("etcd " + e.name() + " healthy");
            }
        }
        return new Verdict(leader, String.join("; ", problems));
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
