package io.pgha.agent.ha;

import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterView;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code sync} key while synchronous mode is active (patroni-compat.md §4): the leader that wrote it and
 * the standbys known to hold every commit it acknowledged. Only these members may be promoted automatically.
 */
public record SyncKey(String leader, Set<String> standbys) {

    /** The key as it governs elections, or null when synchronous mode is off or the key names no leader. */
    public static SyncKey active(Cluster c, boolean synchronousMode) {
        if (!synchronousMode || c.sync() == null || !c.sync().hasNonNull("leader") || c.sync().get("leader").asText().isEmpty()) {
            return null;
        }
        return new SyncKey(c.sync().get("leader").asText(), Set.copyOf(ClusterView.syncMembers(c)));
    }

    /** Patroni's value: standby names sorted and comma-joined, or null for none. */
    public static String standbyValue(Set<String> standbys) {
        return standbys.isEmpty() ? null : String.join(",", new TreeSet<>(standbys));
    }

    public boolean eligible(String member) {
        return member.equals(leader) || standbys.contains(member);
    }
}
