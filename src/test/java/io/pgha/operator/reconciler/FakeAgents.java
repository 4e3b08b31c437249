package io.pgha.operator.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Stands in for the agents' REST API: reports what the test says and records switchover requests. */
final class FakeAgents implements AgentClient {

    volatile List<MemberReport> cluster = List.of();
    final List<String> switchovers = new ArrayList<>();
    /** What GET /config answers (PATCHes are merged into it); null: the agent does not answer. */
    volatile com.fasterxml.jackson.databind.node.ObjectNode config;
    final List<String> configPatches = new ArrayList<>();

    /** A healthy cluster of members {name}-0..n-1 with the given primary, on timeline 2. */
    FakeAgents healthy(String name, int members, int primaryOrdinal) {
        List<MemberReport> r = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            boolean primary = i == primaryOrdinal;
            r.add(new MemberReport(name + "-" + i, primary ? "primary" : "replica", primary ? "running" : "streaming",
                    2L, 0L, false));
        }
        cluster = List.copyOf(r);
        return this;
    }

    @Override
    public Optional<List<MemberReport>> cluster(String host, int port) {
        return cluster.isEmpty() ? Optional.empty() : Optional.of(cluster);
    }

    @Override
    public synchronized boolean switchover(String host, int port, io.pgha.config.Credentials login, String leader,
                                           String candidate) {
        switchovers.add(leader + "->" + candidate + "@" + host + (login == null ? " without login" : " as " + login.username()));
        return true;
    }

    @Override
    public Optional<com.fasterxml.jackson.databind.JsonNode> config(String host, int port) {
        return Optional.ofNullable(config == null ? null : config.deepCopy());
    }

    @Override
    public synchronized boolean patchConfig(String host, int port, io.pgha.config.Credentials login,
                                            com.fasterxml.jackson.databind.JsonNode patch) {
        configPatches.add(patch + "@" + host + (login == null ? " without login" : " as " + login.username()));
        if (config != null) {
            patch.fields().forEachRemaining(e -> config.set(e.getKey(), e.getValue()));
        }
        return true;
    }
}
