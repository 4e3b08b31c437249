package io.pgha.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The iptables rules of a partition between two groups of processes on loopback, as argument lists for
 * {@code iptables} (without the program and the lock option). Pure.
 *
 * <p>Every rule lives in one chain of our own, which a single rule in OUTPUT jumps to for packets on
 * {@code lo}; undoing the partition deletes that jump and the chain, so exactly what was added goes away.
 * Two kinds of rules:
 * <ul>
 *   <li>new connections: packets from a socket created in one group's cgroup (v2) to a listening port of the
 *       other group are dropped ({@code -m cgroup --path}). A socket belongs to the cgroup its process was in
 *       when the socket was created, so this covers connections opened after the processes moved;</li>
 *   <li>connections that already exist: both directions of each one, by its two ports (on loopback the pair
 *       names one connection). These were opened before the move, so the cgroup match does not see them.</li>
 * </ul>
 * Processes outside both groups (HAProxy, the harness's clients and proxy) are never matched, so they still
 * reach both sides.
 */
public final class PartitionRules {

    /** iptables' multiport match takes at most 15 ports. */
    static final int MULTIPORT_MAX = 15;

    private PartitionRules() {}

    public static List<String> jump(String chain) {
        return List.of("OUTPUT", "-o", "lo", "-j", chain);
    }

    /** Rules that drop new connections from {@code fromCgroup} to any of {@code toPorts}. */
    public static List<List<String>> newConnections(String chain, String fromCgroup, List<Integer> toPorts) {
        List<List<String>> rules = new ArrayList<>();
        for (int i = 0; i < toPorts.size(); i += MULTIPORT_MAX) {
            List<Integer> chunk = toPorts.subList(i, Math.min(i + MULTIPORT_MAX, toPorts.size()));
            rules.add(List.of(chain, "-p", "tcp", "-m", "cgroup", "--path", fromCgroup, "-m", "multiport",
                    "--dports", join(chunk), "-j", "DROP"));
        }
        return rules;
    }

    /** Two rules per connection: both of its directions. */
    public static List<List<String>> existingConnections(String chain, Collection<SocketTable.Connection> connections) {
        List<List<String>> rules = new ArrayList<>();
        for (SocketTable.Connection c : connections) {
            rules.add(fourTuple(chain, c.initiatorPort(), c.listenerPort()));
            rules.add(fourTuple(chain, c.listenerPort(), c.initiatorPort()));
        }
        return rules;
    }

    private static List<String> fourTuple(String chain, int sport, int dport) {
        return List.of(chain, "-p", "tcp", "-s", "127.0.0.1", "--sport", Integer.toString(sport),
                "-d", "127.0.0.1", "--dport", Integer.toString(dport), "-j", "DROP");
    }

    private static String join(List<Integer> ports) {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }
}
