package io.pgha.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One consistent read of the whole cluster prefix (a single etcd range at {@link #revision()}).
 * Missing keys are null; the HA logic treats this snapshot as immutable input.
 */
public record Cluster(
        long revision,
        /** null: no initialize key; "": bootstrap in progress; else the system identifier. */
        String initialize,
        JsonNode config,
        long configModRevision,
        Leader leader,
        Map<String, Member> members,
        /** Leader's last published WAL position (status.optime), 0 when unknown. */
        long optime,
        /** Rows [tl, lsn, reason, timestamp, leader]; null when the key is absent. */
        JsonNode history,
        JsonNode failover,
        long failoverModRevision,
        JsonNode sync,
        long syncModRevision,
        /** The failsafe key: member name to api_url; null when absent. */
        JsonNode failsafe) {

    public record Leader(String name, long leaseId, long modRevision) {}

    public boolean isUnlocked() {
        return leader == null;
    }

    public boolean hasLeader(String name) {
        return leader != null && leader.name().equals(name);
    }

    public Member leaderMember() {
        return leader == null ? null : members.get(leader.name());
    }

    /** Patroni's "cluster timeline": last history row's timeline + 1; 1 for an empty history; 0 unknown. */
    public int timeline() {
        if (history == null || !history.isArray()) {
            return 0;
        }
        if (history.isEmpty()) {
            return 1;
        }
        JsonNode last = history.get(history.size() - 1);
        return last.isArray() && last.size() > 0 ? last.get(0).asInt() + 1 : 0;
    }

    public boolean paused() {
        return config != null && PatroniBool.lenient(config.get("pause"));
    }

    public List<String> memberNames() {
        return members.keySet().stream().sorted().toList();
    }
}
