package io.pgha.agent.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.pgha.contract.Cluster;
import io.pgha.contract.DcsKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader key and lease rules against a real etcd (one member, free loopback ports). */
class EtcdDcsIT {
    private static Process etcd;
    private static String endpoint;
    private static Path dataDir;
    private final List<EtcdDcs> opened = new ArrayList<>();
    private static int scopes;

    @BeforeAll
    static void startEtcd() throws Exception {
        int client = freePort();
        int peer = freePort();
        dataDir = Files.createTempDirectory("pgha-etcd-it");
        endpoint = "127.0.0.1:" + client;
        etcd = new ProcessBuilder("etcd", "--name", "it", "--data-dir", dataDir.toString(),
                "--listen-client-urls", "http://" + endpoint, "--advertise-client-urls", "http://" + endpoint,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "it=http://127.0.0.1:" + peer, "--log-level", "error")
                .redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()).start();
        try (Client c = Client.builder().endpoints("http://" + endpoint).build()) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                    c.getKVClient().get(ByteSequence.from("x", StandardCharsets.UTF_8)).get(1, TimeUnit.SECONDS) != null);
        }
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.destroy();
            if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
                etcd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (var walk = Files.walk(dataDir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    @AfterEach
    void close() {
        opened.forEach(EtcdDcs::close);
    }

    private EtcdDcs dcs(String scope, String me, int ttl) {
        EtcdDcs d = new EtcdDcs(List.of(endpoint), new DcsKeys("/service/", scope), me, scope, ttl, Duration.ofSeconds(1));
        opened.add(d);
        return d;
    }

    private static String newScope() {
        return "it" + (++scopes);
    }

    private static ObjectNode member(String name) {
        return JsonNodeFactory.instance.objectNode().put("role", "replica").put("api_url", "http://x/" + name);
    }

    @Test
    void a_lease_that_expired_while_the_agent_was_away_is_replaced_and_the_member_key_comes_back() throws Exception {
        String scope = newScope();
        EtcdDcs m1 = dcs(scope, "m1", 3);
        m1.touchMember(member("m1"));
        assertThat(m1.read().members()).containsKey("m1");

        // nobody renews: etcd expires the lease and the key with it
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> !m1.read().members().containsKey("m1"));
        assertThat(m1.leaseValidUntilNanos()).isLessThan(System.nanoTime());

        m1.ensureLease(Duration.ZERO);
        m1.touchMember(member("m1").put("state", "running"));

        assertThat(m1.read().members()).containsKey("m1");
        assertThat(m1.leaseValidUntilNanos()).isGreaterThan(System.nanoTime());
    }

    @Test
    void only_one_member_holds_the_leader_key_and_only_the_holder_renews_or_releases_it() throws Exception {
        String scope = newScope();
        EtcdDcs m1 = dcs(scope, "m1", 6);
        EtcdDcs m2 = dcs(scope, "m2", 6);

        assertThat(m1.acquireLeader()).isTrue();
        assertThat(m2.acquireLeader()).isFalse();
        assertThat(m1.refreshLeader()).isTrue();
        assertThat(m2.refreshLeader()).isFalse();
        assertThat(m2.releaseLeader()).isFalse();
        Cluster c = m2.read();
        assertThat(c.hasLeader("m1")).isTrue();

        assertThat(m1.releaseLeader()).isTrue();
        assertThat(m2.read().isUnlocked()).isTrue();
        assertThat(m2.acquireLeader()).isTrue();
    }

    @Test
    void a_holder_whose_key_was_taken_over_learns_it_from_etcd_not_from_its_last_read() throws Exception {
        String scope = newScope();
        EtcdDcs m1 = dcs(scope, "m1", 6);
        EtcdDcs m2 = dcs(scope, "m2", 6);
        assertThat(m1.acquireLeader()).isTrue();
        Cluster before = m1.read();
        assertThat(before.hasLeader("m1")).isTrue();

        try (Client raw = Client.builder().endpoints("http://" + endpoint).build()) {
            raw.getKVClient().delete(ByteSequence.from(new DcsKeys("/service/", scope).key(DcsKeys.LEADER), StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS);
        }
        assertThat(m2.acquireLeader()).isTrue();

        assertThat(m1.refreshLeader()).isFalse();
        assertThat(m1.read().hasLeader("m2")).isTrue();
    }

    @Test
    void a_lease_granted_again_after_the_old_one_expired_gives_the_fence_no_authority() throws Exception {
        // issue 11, hole 1: the leader key died with the old lease; the new lease must not vouch for it
        String scope = newScope();
        EtcdDcs m1 = dcs(scope, "m1", 3);
        EtcdDcs m2 = dcs(scope, "m2", 6);
        assertThat(m1.acquireLeader()).isTrue();
        assertThat(m1.leaderValidUntilNanos()).isGreaterThan(System.nanoTime());

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> m2.read().isUnlocked());
        m1.ensureLease(Duration.ZERO); // NOT_FOUND, then a new lease
        assertThat(m1.leaseValidUntilNanos()).isGreaterThan(System.nanoTime());
        assertThat(m1.leaderValidUntilNanos()).isZero();

        assertThat(m2.acquireLeader()).isTrue();
        assertThat(m1.refreshLeader()).isFalse();
        assertThat(m1.leaderValidUntilNanos()).isZero();
    }

    @Test
    void after_a_ttl_change_the_authority_stays_with_the_old_lease_until_the_key_has_moved() throws Exception {
        // issue 11, hole 2: the new lease lasts longer, but the key is still on the old one until a refresh moves it
        String scope = newScope();
        EtcdDcs m1 = dcs(scope, "m1", 3);
        assertThat(m1.acquireLeader()).isTrue();
        long oldEnd = m1.leaderValidUntilNanos();

        m1.setTiming(20, Duration.ofSeconds(1));
        m1.ensureLease(Duration.ZERO); // the new lease, with nothing on it yet
        assertThat(m1.leaseValidUntilNanos()).isGreaterThan(oldEnd + TimeUnit.SECONDS.toNanos(10));
        assertThat(m1.leaderValidUntilNanos()).isEqualTo(oldEnd);
        m1.ensureLease(Duration.ZERO); // a keep-alive of the new lease (as when the move then fails) vouches for nothing
        assertThat(m1.leaderValidUntilNanos()).isEqualTo(oldEnd);

        assertThat(m1.refreshLeader()).isTrue(); // moves the key onto the new lease
        assertThat(m1.leaderValidUntilNanos()).isEqualTo(m1.leaseValidUntilNanos());
    }

    @Test
    void in_synchronous_mode_the_race_is_lost_when_the_sync_key_changed_since_the_read() throws Exception {
        // hole 8 of issue 11: a decision taken on a stale sync key must not win the race
        String scope = newScope();
        EtcdDcs m1 = dcs(scope, "m1", 6);
        EtcdDcs m2 = dcs(scope, "m2", 6);
        assertThat(m2.putIfModRevision(DcsKeys.SYNC, "{\"leader\":\"m0\",\"sync_standby\":\"m1\"}", 0)).isTrue();
        Cluster seen = m1.read();
        assertThat(m2.putIfModRevision(DcsKeys.SYNC, "{\"leader\":\"m0\",\"sync_standby\":\"m2\"}", seen.syncModRevision())).isTrue();

        assertThat(m1.acquireLeader(seen.syncModRevision())).isFalse();
        assertThat(m1.leaderValidUntilNanos()).isZero();
        assertThat(m2.acquireLeader(m2.read().syncModRevision())).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
