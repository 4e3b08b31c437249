package io.pgha.chaos;

import io.pgha.local.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What faults work with: the cluster, its health, the writer's record, the undo journal, the replication
 * proxies, and the run's timing settings.
 *
 * @param hold            how long a fault lasts where the harness ends it (SIGSTOP, partition, etcd down)
 * @param recoveryTimeout how long kill-primary waits for writes on a new primary before restarting the member anyway
 * @param upTimeout       the --timeout given to {@code pgha local up} when it restarts something
 * @param proxies         the delaying proxies of the replication path, by member (empty without delay)
 * @param etcdProxies     the proxies between the agents and etcd, by etcd member (empty unless slow-etcd runs)
 */
record FaultContext(ClusterHandle cluster, ClusterHealth health, AttemptLog attempts, UndoJournal journal,
                    NetworkPartition partition, Map<String, DelayProxy> proxies, Map<String, DelayProxy> etcdProxies,
                    Random random,
                    Duration hold, Duration recoveryTimeout, Duration upTimeout) {

    /** Bounded wait for the writer's first acknowledgement after {@code sinceUs} by another member than {@code victim}. */
    boolean awaitWritesElsewhere(String victim, long sinceUs) {
        return Poll.until(recoveryTimeout, Duration.ofMillis(50), () -> attempts.any(a ->
                a.source() == Attempt.Source.WRITER && a.ok() && a.doneUs() > sinceUs && a.member() != null
                        && !a.member().equals(victim)));
    }

    /** {@code pgha local up --dir DIR}: starts again whatever of the cluster does not run; a note for the results. */
    String restart() {
        int code = cluster.up(List.of("--timeout", Long.toString(upTimeout.toSeconds())));
        return "local up exited " + code;
    }
}
