package io.pgha.local;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgha local down}: stops every process recorded in DIR/cluster.json or in the cluster's pid
 * files, by pid. Data and configuration stay, so a later {@code up} restarts the same cluster.
 */
public final class LocalDown {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDown.class);

    /** @return the processes that could not be stopped (empty = nothing of the cluster runs any more) */
    public List<String> run(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        ClusterDir.requireCluster(d);
        try (DirLock lock = DirLock.acquire(d)) {
            ClusterFile recorded = ClusterFile.read(d.resolve("cluster.json"));
            LocalLayout layout = recorded.layout(d);
            List<String> members = layout.members().stream().map(LocalLayout.Member::name).toList();
            List<String> left = new ClusterStopper(layout, new AgentRest()).stop(recorded.pids(), members, true);
            if (left.isEmpty()) {
                LOG.info("cluster {} in {} stopped", layout.scope(), d);
            }
            return left;
        }
    }
}
