package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Synchronous replication, failsafe mode and the external watchdog on a real `pgha local` cluster created with
 * {@code --replication sync --failsafe} (ttl 6, loop_wait 1). Each scenario starts from a healthy cluster and
 * restores the dynamic settings it changed.
 */
@OneLocalCluster.UpOptions({"--replication", "sync", "--failsafe"})
class SynchronousClusterIT extends OneLocalCluster {

    /** One sync standby, and not the leader itself: right after a failover the key can still name the new leader. */
    @BeforeEach
    void syncStandbyListed() {
        String leader = cluster.awaitLeader();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(SynchronousClusterIT::syncStandbys, s -> s.size() == 1 && !s.contains(leader));
    }

    private static List<String> names() {
        return cluster.names();
    }

    private static List<String> syncStandbys() {
        return cluster.syncStandbys();
    }

    private static List<String> awaitSyncStandbys(int count) {
        return cluster.awaitSyncStandbys(count);
    }

    private static void patchConfig(String json) throws Exception {
        String leader = cluster.awaitLeader();
        assertThat(cluster.rest(leader, "PATCH", "/config", json, true).status()).isEqualTo(200);
    }

    @Test
    void the_sync_key_follows_the_standbys_as_they_come_and_go() throws Exception {
        String leader = cluster.awaitLeader();
        String sync = syncStandbys().get(0);
        assertThat(sync).isNotEqualTo(leader);
        String other = names().stream().filter(n -> !n.equals(leader) && !n.equals(sync)).findFirst().orElseThrow();

        // the sync standby goes: the other standby takes its place
        LocalClusterHarness.signal(cluster.agentPid(sync), "TERM");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(SynchronousClusterIT::syncStandbys,
                s -> s.equals(List.of(other)));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.acceptsWritesDirectly(leader));

        // it comes back: the key stays with the standby already in it (no needless churn), checked for 3 s
        cluster.upAgain();
        cluster.awaitHealthy();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(SynchronousClusterIT::syncStandbys, s -> s.equals(List.of(other)));

        // two synchronous standbys asked for: both are listed
        try {
            patchConfig("{\"synchronous_node_count\":2}");
            assertThat(awaitSyncStandbys(2)).containsExactlyInAnyOrder(sync, other);
        } finally {
            patchConfig("{\"synchronous_node_count\":1}");
        }
        awaitSyncStandbys(1);
    }

    @Test
    void strict_mode_blocks_writes_without_a_standby_and_resumes_when_one_connects() throws Exception {
        String leader = cluster.awaitLeader();
        patchConfig("{\"synchronous_mode_strict\":true}");
        CompletableFuture<Void> write = null;
        try {
            for (String m : names()) {
                if (!m.equals(leader)) {
                    LocalClusterHarness.signal(cluster.agentPid(m), "TERM");
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.streamingStandbys(leader).isEmpty());
            try (Connection c = cluster.connect(cluster.member(leader).postgresPort()); Statement st = c.createStatement()) {
                // creating the table commits too: done before the standbys go, it would block here
                st.execute("SET synchronous_commit = local");
                st.execute("CREATE TABLE IF NOT EXISTS it_strict(at timestamptz)");
            }
            write = CompletableFuture.runAsync(() -> {
                try (Connection c = cluster.connect(cluster.member(leader).postgresPort(), 0); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO it_strict VALUES (clock_timestamp())");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<Void> pending = write;
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !pending.isDone());

            cluster.upAgain(); // the standbys come back: the first to connect releases the commit
            write.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(cluster::leader, l -> l.equals(Optional.of(leader)));
        } finally {
            patchConfig("{\"synchronous_mode_strict\":false}");
        }
    }

    @Test
    void a_failover_promotes_the_sync_standby_and_never_an_async_one() throws Exception {
        String leader = cluster.awaitLeader();
        String sync = syncStandbys().get(0);
        cluster.killMember(leader);
        String next = cluster.awaitLeader();
        assertThat(next).isEqualTo(sync);

        cluster.upAgain();
        cluster.awaitHealthy();
        // until the new leader rewrites it, the sync key still names the new leader itself
        List<String> nowSync = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(SynchronousClusterIT::syncStandbys, s -> s.size() == 1 && !s.contains(next));
        String async = names().stream().filter(n -> !n.equals(next) && !nowSync.contains(n)).findFirst().orElseThrow();

        // leader and sync standby lost together: the async standby must not be promoted, whatever the wait
        cluster.killMember(next);
        cluster.killMember(nowSync.get(0));
        int ttl = cluster.file().timing().ttl();
        await().during(Duration.ofSeconds(3L * ttl)).atMost(Duration.ofSeconds(3L * ttl + 10))
                .until(() -> !cluster.acceptsWritesDirectly(async) && cluster.leader().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.agentLog(async).contains("not a synchronous standby"));
    }

    @Test
    void failsafe_keeps_the_primary_writable_through_an_etcd_outage_while_every_member_answers() throws Exception {
        primaryStaysWritableWhileEtcdFrozen(3);
    }

    @Test
    void failsafe_keeps_the_primary_writable_when_etcd_loses_quorum_but_one_member_still_answers_reads() throws Exception {
        // the surviving member serves (serializable) reads but can neither renew the lease nor take any write
        primaryStaysWritableWhileEtcdFrozen(2);
    }

    /**
     * Freezes {@code frozen} of the 3 etcd members for 2 x ttl: the primary must stay writable throughout, on
     * failsafe, and keep its place and timeline afterwards.
     */
    private static void primaryStaysWritableWhileEtcdFrozen(int frozen) throws Exception {
        String leader = cluster.awaitLeader();
        int timeline = cluster.timeline(leader);
        int ttl = cluster.file().timing().ttl();
        List<Long> etcd = cluster.file().etcd().members().stream().map(ClusterFile.EtcdMember::pid).limit(frozen).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.restJson(leader, "/failsafe").size() == names().size());
        try {
            for (long pid : etcd) {
                LocalClusterHarness.signal(pid, "STOP");
            }
            await().during(Duration.ofSeconds(2L * ttl)).atMost(Duration.ofSeconds(2L * ttl + 10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> cluster.acceptsWritesDirectly(leader));
            assertThat(cluster.agentLog(leader)).contains("failsafe mode is enabled and all members are accessible");
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.rest(leader, "GET", "/metrics", null, false).body()
                    .matches("(?s).*patroni_failsafe_mode_is_active\\{[^}]*\\} 1.*"));
        } finally {
            for (long pid : etcd) {
                LocalClusterHarness.signal(pid, "CONT");
            }
        }
        cluster.awaitHealthy();
        await().atMost(Duration.ofSeconds(10)).until(cluster::leader, l -> l.equals(Optional.of(leader)));
        // a timeline never goes back: awaiting the old one cannot hide a promotion
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.timeline(leader) == timeline);
    }

    @Test
    void failsafe_demotes_the_primary_when_a_member_does_not_answer() throws Exception {
        String leader = cluster.awaitLeader();
        int ttl = cluster.file().timing().ttl();
        String silent = names().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        List<Long> frozen = new ArrayList<>(cluster.file().etcd().members().stream().map(ClusterFile.EtcdMember::pid).toList());
        frozen.add(cluster.agentPid(silent));
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.restJson(leader, "/failsafe").size() == names().size());
        long start = System.nanoTime();
        try {
            for (long pid : frozen) {
                LocalClusterHarness.signal(pid, "STOP");
            }
            await().atMost(Duration.ofSeconds(ttl)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !cluster.acceptsWritesDirectly(leader));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(ttl * 1000L);
        } finally {
            for (long pid : frozen) {
                LocalClusterHarness.signal(pid, "CONT");
            }
        }
        cluster.awaitHealthy();
    }

    @Test
    void a_frozen_leader_agent_is_fenced_from_outside_before_its_lease_ends() throws Exception {
        String leader = cluster.awaitLeader();
        String sync = syncStandbys().get(0);
        int ttl = cluster.file().timing().ttl();
        long agent = cluster.agentPid(leader);
        long start = System.nanoTime();
        Optional<String> next;
        try {
            LocalClusterHarness.signal(agent, "STOP");
            await().atMost(Duration.ofSeconds(ttl)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !cluster.acceptsWritesDirectly(leader));
            long fencedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(fencedMillis).as("agent frozen to PostgreSQL refusing writes, ms").isLessThan(ttl * 1000L);
            // the frozen leader is already fenced when the sync standby can take over
            next = Optional.of(await().atMost(Duration.ofSeconds(3L * ttl)).until(cluster::leader, l -> l.isPresent() && !l.get().equals(leader)).orElseThrow());
            assertThat(cluster.acceptsWritesDirectly(leader)).isFalse();
        } finally {
            LocalClusterHarness.signal(agent, "CONT");
        }
        assertThat(next).contains(sync);
        // the watchdog writes its log line after the signal, from a background job: await it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(cluster.agentLog(leader)).contains("agent did not renew its lease in time: SIGQUIT to PostgreSQL"));
        cluster.awaitHealthy();
    }
}
