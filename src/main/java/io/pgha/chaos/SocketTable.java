package io.pgha.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP connections on 127.0.0.1, read from {@code ss -Htnp state connected}, and which of them cross
 * between two groups of processes. The parsing and the classification are pure.
 */
public final class SocketTable {

    /** One socket: its local and remote port (both on 127.0.0.1) and the processes that hold it. */
    public record Socket(int localPort, int remotePort, Set<Long> pids) {}

    /** A connection opened by a process of one group to a listening port of the other: its two ports. */
    public record Connection(int initiatorPort, int listenerPort) {}

    /** IPv4 or IPv4-mapped IPv6 (Java's dual-stack sockets): 127.0.0.1:P or [::ffff:127.0.0.1]:P. */
    private static final String LOOPBACK = "(?:127\\.0\\.0\\.1|\\[::ffff:127\\.0\\.0\\.1\\]):(\\d+)";
    private static final Pattern LINE = Pattern.compile(
            "^\\S+\\s+\\d+\\s+\\d+\\s+" + LOOPBACK + "\\s+" + LOOPBACK + "\\s*(.*)$");
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private SocketTable() {}

    /** Parses ss's output; lines for other addresses (IPv6 proper, other hosts) are left out. */
    public static List<Socket> parse(String ssOutput) {
        List<Socket> sockets = new ArrayList<>();
        for (String line : ssOutput.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            Set<Long> pids = new HashSet<>();
            Matcher p = PID.matcher(m.group(3));
            while (p.find()) {
                pids.add(Long.parseLong(p.group(1)));
            }
            sockets.add(new Socket(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Set.copyOf(pids)));
        }
        return sockets;
    }

    /**
     * The connections between group A and group B: sockets held by A's processes whose remote port is one of
     * B's listening ports, and the other way round. A socket's other end (the accepted socket, or a proxy the
     * connection passes through) needs no entry of its own: both directions of a connection are named by its
     * two ports.
     */
    public static Set<Connection> crossing(List<Socket> sockets, Collection<Long> pidsA, Collection<Integer> portsA,
                                           Collection<Long> pidsB, Collection<Integer> portsB) {
        Set<Connection> found = new LinkedHashSet<>();
        for (Socket s : sockets) {
            boolean heldByA = s.pids().stream().anyMatch(pidsA::contains);
            boolean heldByB = s.pids().stream().anyMatch(pidsB::contains);
            if ((heldByA && portsB.contains(s.remotePort())) || (heldByB && portsA.contains(s.remotePort()))) {
                found.add(new Connection(s.localPort(), s.remotePort()));
            }
        }
        return found;
    }
}
