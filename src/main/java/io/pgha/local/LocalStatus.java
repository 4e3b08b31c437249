package io.pgha.local;

import java.nio.file.Path;
import java.util.List;

/** {@code pgha local status}: asks every member's agent (GET /patroni) and renders the answers. */
public final class LocalStatus {

    /** The rendered report, and whether every member answered. */
    public record Report(String text, boolean allReachable) {}

    public Report run(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        ClusterDir.requireCluster(d);
        ClusterFile recorded = ClusterFile.read(d.resolve("cluster.json"));
        AgentRest rest = new AgentRest();
        List<MemberStatus> members = recorded.members().stream().map(m -> {
            String host = m.host() + ":" + m.postgresPort();
            return rest.json(m.restUrl()).filter(j -> j.isObject() && j.has("role"))
                    .map(j -> MemberStatus.fromPatroni(m.name(), host, j))
                    .orElseGet(() -> MemberStatus.unreachable(m.name(), host));
        }).toList();
        ClusterFile.Haproxy h = recorded.haproxy();
        String text = new StatusTable().render(recorded.scope(), members)
                + "HAProxy: read-write " + LocalLayout.HOST + ":" + h.readWritePort()
                + ", read-only " + LocalLayout.HOST + ":" + h.readOnlyPort()
                + ", stats http://" + LocalLayout.HOST + ":" + h.statsPort() + "/\n";
        return new Report(text, members.stream().allMatch(MemberStatus::reachable));
    }
}
