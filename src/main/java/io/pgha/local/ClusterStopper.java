package io.pgha.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a local cluster's processes by pid, in an order that avoids needless failovers and lost work:
 * standby agents first, then the leader's agent (SIGTERM: each agent stops its PostgreSQL cleanly and the
 * leader releases its key), then any postmaster that outlived its agent (SIGINT = fast shutdown), then
 * PgBouncer, HAProxy and etcd. Only recorded pids are signalled, and only while they still run the
 * cluster's own command lines.
 */
final class ClusterStopper {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterStopper.class);
    static final Duration AGENT_GRACE = Duration.ofSeconds(60);
    static final Duration POSTMASTER_GRACE = Duration.ofSeconds(60);
    static final Duration OTHER_GRACE = Duration.ofSeconds(15);

    private final LocalLayout layout;
    private final AgentRest rest;
    private boolean usePidFiles;

    ClusterStopper(LocalLayout layout, AgentRest rest) {
        this.layout = layout;
        this.rest = rest;
    }

    /**
     * Stops what {@code pids} records, plus the postmasters of {@code postmasterMembers}.
     *
     * @param usePidFiles also stop the PgBouncer and HAProxy named in their pid files (for {@code down};
     *                    not when undoing a failed {@code up}, which stops only what it started)
     *
     * @return descriptions of the processes still running afterwards (empty = everything stopped)
     */
    List<String> stop(Pids pids, Collection<String> postmasterMembers, boolean usePidFiles) {
        this.usePidFiles = usePidFiles;
        List<LocalProcesses.Target> leaders = new ArrayList<>();
        List<LocalProcesses.Target> standbys = new ArrayList<>();
        for (LocalLayout.Member m : layout.members()) {
            Long pid = pids.agent(m.name());
            if (pid != null) {
                var t = LocalProcesses.Target.byCommandLine("agent " + m.name(), pid, layout.agentConfig(m).toString());
                if (t.running()) {
                    (rest.status(m.restBase() + "/primary") == 200 ? leaders : standbys).add(t);
                }
            }
        }
        List<LocalProcesses.Target> left = new ArrayList<>();
        left.addAll(LocalProcesses.stop(standbys, OsProcess.Signal.TERM, AGENT_GRACE, OsProcess.Signal.KILL));
        left.addAll(LocalProcesses.stop(leaders, OsProcess.Signal.TERM, AGENT_GRACE, OsProcess.Signal.KILL));
        List<LocalProcesses.Target> postmasters = new ArrayList<>();
        for (LocalLayout.Member m : layout.members()) {
            if (postmasterMembers.contains(m.name())) {
                postmasterPid(layout.dataDir(m)).ifPresent(pid -> {
                    LOG.info("PostgreSQL of {} (pid {}) outlived its agent", m.name(), pid);
                    postmasters.add(LocalProcesses.Target.byWorkDir("PostgreSQL " + m.name(), pid, layout.dataDir(m)));
                });
            }
        }
        left.addAll(LocalProcesses.stop(postmasters, OsProcess.Signal.INT, POSTMASTER_GRACE, OsProcess.Signal.QUIT));
        left.addAll(LocalProcesses.stop(pgbouncers(pids), OsProcess.Signal.TERM, OTHER_GRACE, OsProcess.Signal.KILL));
        left.addAll(LocalProcesses.stop(haproxy(pids), OsProcess.Signal.TERM, OTHER_GRACE, OsProcess.Signal.KILL));
        left.addAll(LocalProcesses.stop(EtcdCluster.targets(layout, pids),
                OsProcess.Signal.TERM, OTHER_GRACE, OsProcess.Signal.KILL));
        return left.stream().map(t -> t.what() + " (pid " + t.pid() + ")").toList();
    }

    /** The pid in DATA/postmaster.pid, if that process is alive and runs in DATA. */
    static Optional<Long> postmasterPid(Path dataDir) {
        return OsProcess.readPidFile(dataDir.resolve("postmaster.pid")).filter(pid -> OsProcess.aliveIn(pid, dataDir));
    }

    private List<LocalProcesses.Target> pgbouncers(Pids pids) {
        List<LocalProcesses.Target> targets = new ArrayList<>();
        for (LocalLayout.Member m : layout.members()) {
            String marker = layout.pgbouncerConfig(m).toString();
            for (Long pid : candidates(pids.pgbouncer(m.name()), layout.pgbouncerPidFile(m))) {
                targets.add(LocalProcesses.Target.byCommandLine("PgBouncer " + m.name(), pid, marker));
            }
        }
        return targets;
    }

    private List<LocalProcesses.Target> haproxy(Pids pids) {
        return candidates(pids.haproxy(), layout.haproxyPidFile()).stream()
                .map(pid -> LocalProcesses.Target.byCommandLine("HAProxy", pid, layout.haproxyConfig().toString()))
                .toList();
    }

    /** The recorded pid and the one in the pid file, when they differ. */
    private List<Long> candidates(Long recorded, Path pidFile) {
        List<Long> pids = new ArrayList<>();
        if (recorded != null) {
            pids.add(recorded);
        }
        if (!usePidFiles) {
            return pids;
        }
        OsProcess.readPidFile(pidFile).filter(p -> !p.equals(recorded)).ifPresent(pids::add);
        return pids;
    }
}
