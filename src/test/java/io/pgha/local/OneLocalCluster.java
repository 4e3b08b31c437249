package io.pgha.local;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One real `pgha local` cluster shared by the scenarios of a test class (starting one takes ~15 s). Every
 * scenario first restarts whatever a previous one stopped and waits for a healthy cluster, so each stands on
 * its own.
 */
abstract class OneLocalCluster {
    static LocalClusterHarness cluster;

    @BeforeAll
    static void up() throws IOException {
        cluster = LocalClusterHarness.start();
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @BeforeEach
    void healthy() throws IOException {
        cluster.upAgain();
        cluster.awaitHealthy();
    }

    /** The members other than {@code leader}, by name. */
    static List<String> others(String leader) {
        return cluster.file().members().stream().map(ClusterFile.Member::name).filter(n -> !n.equals(leader)).sorted().toList();
    }
}
