package io.pgha.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts one group of processes (the victim: a member's agent, PostgreSQL and PgBouncer) off from another (the
 * other members and etcd) on loopback, and heals the cut. Each group is moved into a cgroup v2 of its own;
 * {@link PartitionRules} drops what passes between them. Processes in neither group (HAProxy, the harness's
 * writer, probers and proxies) still reach both, so clients keep seeing the victim.
 */
final class NetworkPartition {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkPartition.class);

    /** A group: how to list its processes now (roots and descendants), and the ports it listens on. */
    record Group(String name, Supplier<List<Long>> processes, List<Integer> ports) {}

    private final Cgroups cgroups;
    private final String id;
    private final UndoJournal journal;
    private UndoJournal.Partition current;

    /** @param id names the chain and the cgroup directory, e.g. pgha-chaos-4711 */
    NetworkPartition(Cgroups cgroups, String id, UndoJournal journal) {
        this.cgroups = cgroups;
        this.id = id;
        this.journal = journal;
    }

    String chain() {
        return id.toUpperCase();
    }

    /** Puts the cut in place and returns a one-line description; if that fails, whatever was done is undone. */
    String cut(Group victim, Group others) {
        try {
            return tryCut(victim, others);
        } catch (RuntimeException e) {
            if (current != null) {
                LOG.error("partition: cutting {} off failed ({}); undoing what was done", victim.name(), e.getMessage());
                remove(current, cgroups);
                current = null;
                journal.healed();
            }
            throw e;
        }
    }

    private String tryCut(Group victim, Group others) {
        String parent = "/" + id;
        String victimCg = parent + "/victim";
        String othersCg = parent + "/others";
        List<Long> victimPids = victim.processes().get();
        List<Long> otherPids = others.processes().get();
        Map<Long, String> origins = new LinkedHashMap<>();
        for (long pid : concat(victimPids, otherPids)) {
            ProcessTree.cgroup(pid).ifPresent(cg -> origins.put(pid, cg));
        }
        String fallback = origins.values().stream().findFirst().orElse("/");
        current = new UndoJournal.Partition(chain(), List.of(victimCg, othersCg, parent), origins, fallback);
        journal.partition(current);
        cgroups.create(victimCg);
        cgroups.create(othersCg);
        // twice: a process forked while we moved the first list (a new backend) joins on the second pass
        for (int pass = 0; pass < 2; pass++) {
            victimPids = victim.processes().get();
            otherPids = others.processes().get();
            victimPids.forEach(pid -> cgroups.move(pid, victimCg));
            otherPids.forEach(pid -> cgroups.move(pid, othersCg));
        }
        Shell.run(command("-N", List.of(chain())));
        List<List<String>> rules = new ArrayList<>();
        rules.addAll(PartitionRules.newConnections(chain(), victimCg.substring(1), others.ports()));
        rules.addAll(PartitionRules.newConnections(chain(), othersCg.substring(1), victim.ports()));
        for (List<String> r : rules) {
            Shell.run(command("-A", r));
        }
        Shell.run(command("-I", PartitionRules.jump(chain())));
        List<SocketTable.Socket> sockets = SocketTable.parse(Shell.run(List.of("ss", "-Htnp", "state", "connected")));
        Set<SocketTable.Connection> crossing = SocketTable.crossing(sockets, victimPids, victim.ports(), otherPids, others.ports());
        for (List<String> r : PartitionRules.existingConnections(chain(), crossing)) {
            Shell.run(command("-A", r));
        }
        return String.format("%s (%d processes, ports %s) cut from %s (%d processes, ports %s); %d open connections "
                        + "between them blocked", victim.name(), victimPids.size(), victim.ports(), others.name(),
                otherPids.size(), others.ports(), crossing.size());
    }

    /** Removes the cut made by {@link #cut}. */
    void heal() {
        if (current == null) {
            throw new IllegalStateException("no partition to heal");
        }
        remove(current, cgroups);
        current = null;
        journal.healed();
    }

    /** Removes a recorded partition: the jump and the chain, then the processes back and the cgroups away. */
    static void remove(UndoJournal.Partition p, Cgroups cgroups) {
        if (Shell.exec(List.of("iptables", "-w", "5", "-n", "-L", p.chain())).exitCode() == 0) {
            while (Shell.exec(command("-C", PartitionRules.jump(p.chain()))).exitCode() == 0) {
                Shell.run(command("-D", PartitionRules.jump(p.chain())));
            }
            Shell.run(command("-F", List.of(p.chain())));
            Shell.run(command("-X", List.of(p.chain())));
        }
        for (String cg : p.cgroups()) {
            if (!cgroups.exists(cg)) {
                continue;
            }
            for (int attempt = 0; attempt < 3 && !cgroups.processes(cg).isEmpty(); attempt++) {
                for (long pid : cgroups.processes(cg)) {
                    cgroups.move(pid, p.origins().getOrDefault(pid, p.fallback()));
                }
            }
            cgroups.remove(cg);
        }
        LOG.info("partition healed: chain {} and cgroups {} removed", p.chain(), p.cgroups());
    }

    private static List<String> command(String op, List<String> rule) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "5", op));
        cmd.addAll(rule);
        return cmd;
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
