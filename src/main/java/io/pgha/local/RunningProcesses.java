package io.pgha.local;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a recorded cluster's processes still run, found from the pids in cluster.json and the pid
 * files. Pids of processes that are gone are cleared from {@link Pids}, so that {@code up} starts them.
 */
final class RunningProcesses {

    private RunningProcesses() {}

    /** Clears stale pids in {@code pids} (and adopts PgBouncer pid files) and returns the ports still in use by the cluster. */
    static List<Integer> refresh(LocalLayout l, Pids pids) {
        List<Integer> inUse = new ArrayList<>();
        for (LocalLayout.EtcdMember e : l.etcd()) {
            if (OsProcess.aliveAndRuns(pids.etcd(e.name()), l.etcdDataDir(e).toString())) {
                inUse.addAll(List.of(e.clientPort(), e.peerPort()));
            } else {
                pids.setEtcd(e.name(), null);
            }
        }
        for (LocalLayout.Member m : l.members()) {
            if (OsProcess.aliveAndRuns(pids.agent(m.name()), l.agentConfig(m).toString())) {
                inUse.add(m.restPort());
            } else {
                pids.setAgent(m.name(), null);
            }
            if (ClusterStopper.postmasterPid(l.dataDir(m)).isPresent()) {
                inUse.add(m.postgresPort());
            }
            String bouncer = l.pgbouncerConfig(m).toString();
            Long fromFile = OsProcess.readPidFile(l.pgbouncerPidFile(m)).orElse(null);
            if (OsProcess.aliveAndRuns(pids.pgbouncer(m.name()), bouncer)) {
                inUse.add(m.pgbouncerPort());
            } else if (OsProcess.aliveAndRuns(fromFile, bouncer)) {
                pids.setPgbouncer(m.name(), fromFile);
                inUse.add(m.pgbouncerPort());
            } else {
                pids.setPgbouncer(m.name(), null);
            }
        }
        if (OsProcess.aliveAndRuns(pids.haproxy(), l.haproxyConfig().toString())) {
            inUse.addAll(List.of(l.haproxy().readWrite(), l.haproxy().readOnly(), l.haproxy().stats()));
        } else {
            pids.setHaproxy(null);
        }
        return inUse;
    }
}
