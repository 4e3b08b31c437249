package io.pgha.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What DIR holds before {@code up}: nothing, a pgha local cluster (DIR/cluster.json), or something else. */
enum ClusterDir {
    ABSENT, EMPTY, CLUSTER, FOREIGN;

    static ClusterDir inspect(Path dir) {
        if (!Files.exists(dir)) {
            return ABSENT;
        }
        if (!Files.isDirectory(dir)) {
            return FOREIGN;
        }
        if (Files.isRegularFile(dir.resolve("cluster.json"))) {
            return CLUSTER;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            // a lock file alone is what an interrupted first run may leave
            return entries.anyMatch(p -> !p.getFileName().toString().equals(".lock")) ? FOREIGN : EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    /** Fails unless DIR is a local cluster's directory (for status and down). */
    static void requireCluster(Path dir) {
        if (inspect(dir) != CLUSTER) {
            throw LocalException.badInput(dir + " holds no pgha local cluster (no cluster.json)");
        }
    }
}
