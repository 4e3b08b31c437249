package io.pgha.local;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * One real `pgha local` cluster shared by the scenarios of a test class (starting one takes ~15 s). Every
 * scenario first restarts whatever a previous one stopped and waits for a healthy cluster, so each stands on
 * its own.
 */
abstract class OneLocalCluster {
    static LocalClusterHarness cluster;

    /** Options for the first `pgha local up` of the test class's cluster, e.g. {@code --replication sync}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface UpOptions {
        String[] value();
    }

    @BeforeAll
    static void up(TestInfo test) throws IOException {
        UpOptions options = test.getTestClass().map(c -> c.getAnnotation(UpOptions.class)).orElse(null);
        cluster = LocalClusterHarness.start(options == null ? new String[0] : options.value());
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
