package io.pgha.local;

import io.pgha.config.DcsTiming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks {@code up} makes before it changes anything: what DIR holds, the layout (new, or the recorded
 * one on a restart, refusing options that contradict it), the socket path length, ownership, which of a
 * recorded cluster's processes still run, and whether the other ports are free.
 */
final class UpPreflight {

    /** A Unix socket path may hold at most 107 bytes; PostgreSQL's is DIR/run/.s.PGSQL.NNNNN.lock. */
    static final int MAX_SOCKET_PATH = 107;

    /**
     * @param portsInUse ports held by the recorded cluster's own processes that still run
     */
    record Plan(LocalLayout layout, Pids pids, boolean restart, List<Integer> portsInUse) {}

    private UpPreflight() {}

    static Plan plan(LocalUp.Options o, boolean root) {
        Path dir = o.dir().toAbsolutePath().normalize();
        ClusterDir state = ClusterDir.inspect(dir);
        if (state == ClusterDir.FOREIGN) {
            throw LocalException.badInput(dir + " is not empty and holds no pgha local cluster (no cluster.json); "
                    + "choose a new or empty directory");
        }
        boolean restart = state == ClusterDir.CLUSTER;
        ClusterFile recorded = restart ? ClusterFile.read(dir.resolve("cluster.json")) : null;
        LocalLayout layout = restart ? recordedLayout(recorded, dir, o) : newLayout(dir, o);
        checkOptions(o, layout);
        Pids pids = restart ? recorded.pids() : new Pids();
        return new Plan(layout, pids, restart, preflight(layout, pids, restart, root));
    }

    /** Longest --timeout accepted: beyond an hour a stuck start is better seen as failed. */
    static final int MAX_TIMEOUT_SECONDS = 3600;

    /** Options that cannot work with this layout, refused before anything starts. */
    private static void checkOptions(LocalUp.Options o, LocalLayout layout) {
        long timeout = o.timeout() == null ? 0 : o.timeout().toSeconds();
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            throw LocalException.badInput("--timeout must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds (got " + timeout + ")");
        }
        io.pgha.config.DcsReplication r = o.replication();
        int standbys = layout.members().size() - 1;
        if (r != null && r.synchronousMode() && r.nodeCount() > standbys) {
            throw LocalException.badInput("--sync-standbys " + r.nodeCount() + " is more than the " + standbys + " standby(s) of "
                    + layout.members().size() + " member(s): " + r.modeName() + " needs --members of at least " + (r.nodeCount() + 1));
        }
    }

    /** Fails when a port the cluster still has to open is taken. */
    static void checkPortsFree(Plan plan) {
        List<Integer> toCheck = new ArrayList<>(plan.layout().allPorts());
        toCheck.removeAll(plan.portsInUse());
        List<Integer> busy = PortCheck.busy(toCheck);
        if (!busy.isEmpty()) {
            throw LocalException.badInput("ports already in use: " + busy + " (choose another --port-base"
                    + (plan.restart() ? ", or stop what uses them" : "") + ")");
        }
    }


    private static LocalLayout newLayout(Path dir, LocalUp.Options o) {
        DcsTiming t = timing(o);
        return LocalLayout.fromPortBase(dir, Objects.requireNonNullElse(o.scope(), LocalLayout.DEFAULT_SCOPE),
                Objects.requireNonNullElse(o.members(), LocalLayout.DEFAULT_MEMBERS),
                Objects.requireNonNullElse(o.portBase(), LocalLayout.DEFAULT_PORT_BASE), t)
                .withPostgresAdvertiseOffset(Objects.requireNonNullElse(o.pgAdvertisePortOffset(), 0))
                .withEtcdAgentOffset(Objects.requireNonNullElse(o.etcdPortOffset(), 0));
    }

    private static DcsTiming timing(LocalUp.Options o) {
        DcsTiming d = DcsTiming.PGHA_DEFAULT;
        try {
            return new DcsTiming(Objects.requireNonNullElse(o.ttl(), d.ttl()),
                    Objects.requireNonNullElse(o.loopWait(), d.loopWait()),
                    Objects.requireNonNullElse(o.retryTimeout(), d.retryTimeout()));
        } catch (IllegalArgumentException e) {
            throw LocalException.badInput(e.getMessage());
        }
    }

    /** The recorded layout; options that contradict it are refused rather than silently ignored. */
    static LocalLayout recordedLayout(ClusterFile recorded, Path dir, LocalUp.Options o) {
        LocalLayout l = recorded.layout(dir);
        List<String> conflicts = new ArrayList<>();
        if (o.members() != null && o.members() != l.members().size()) {
            conflicts.add("--members " + o.members() + " (cluster has " + l.members().size() + ")");
        }
        if (o.scope() != null && !o.scope().equals(l.scope())) {
            conflicts.add("--scope " + o.scope() + " (cluster has " + l.scope() + ")");
        }
        if (o.portBase() != null && o.portBase() != l.haproxy().readWrite()) {
            conflicts.add("--port-base " + o.portBase() + " (cluster has " + l.haproxy().readWrite() + ")");
        }
        if ((o.ttl() != null || o.loopWait() != null || o.retryTimeout() != null) && !timing(o).equals(l.timing())) {
            conflicts.add("timing options (cluster has ttl " + l.timing().ttl() + ", loop_wait " + l.timing().loopWait()
                    + ", retry_timeout " + l.timing().retryTimeout() + ")");
        }
        if (o.pgAdvertisePortOffset() != null && l.members().stream()
                .anyMatch(m -> m.advertisedPostgresPort() != m.postgresPort() + o.pgAdvertisePortOffset())) {
            conflicts.add("--pg-advertise-port-offset " + o.pgAdvertisePortOffset() + " (cluster has "
                    + (l.members().get(0).advertisedPostgresPort() - l.members().get(0).postgresPort()) + ")");
        }
        if (o.etcdPortOffset() != null && l.etcd().stream().anyMatch(e -> e.agentPort() != e.clientPort() + o.etcdPortOffset())) {
            conflicts.add("--etcd-port-offset " + o.etcdPortOffset() + " (cluster has "
                    + (l.etcd().get(0).agentPort() - l.etcd().get(0).clientPort()) + ")");
        }
        if (!conflicts.isEmpty()) {
            throw LocalException.badInput(dir + " holds an existing cluster; cannot change " + String.join(", ", conflicts));
        }
        return l;
    }

    /** Checks that need no program, and returns the ports held by the cluster's own running processes. */
    private static List<Integer> preflight(LocalLayout layout, Pids pids, boolean restart, boolean root) {
        int socketPath = layout.socketDir().toString().length() + "/.s.PGSQL.65535.lock".length();
        if (socketPath > MAX_SOCKET_PATH) {
            throw LocalException.badInput("directory path too long for PostgreSQL's Unix socket (" + socketPath + " > "
                    + MAX_SOCKET_PATH + " bytes): choose a shorter --dir");
        }
        if (restart && !root && !ownedByMe(layout.dir())) {
            throw LocalException.badInput(layout.dir() + " belongs to another user; run pgha local as that user or as root");
        }
        return restart ? RunningProcesses.refresh(layout, pids) : List.of();
    }

    private static boolean ownedByMe(Path dir) {
        try {
            return Files.getOwner(dir).getName().equals(System.getProperty("user.name"));
        } catch (IOException e) {
            return false;
        }
    }
}
