package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster created in strict synchronous mode ({@code pgha local up --replication strict-sync}): no commit is
 * acknowledged without a synchronous standby, from the first one on. The agent's own statements (roles after
 * initdb, provisioning) commit locally, or the bootstrap would wait for a standby that cannot exist yet.
 */
@OneLocalCluster.UpOptions({"--replication", "strict-sync"})
class StrictSyncClusterIT extends OneLocalCluster {

    @Test
    void bootstraps_names_a_sync_standby_and_commits_through_haproxy() throws Exception {
        String leader = cluster.awaitLeader();
        List<String> sync = cluster.awaitSyncStandbys(1);
        assertThat(sync).doesNotContain(leader);
        int port = await().atMost(Duration.ofSeconds(30)).until(() -> cluster.tryWrite("strict"), p -> p > 0);
        assertThat(port).isEqualTo(cluster.member(leader).postgresPort());
        assertThat(cluster.restJson(leader, "/config").path("synchronous_mode_strict").asBoolean()).isTrue();
    }

    @Test
    void after_a_failover_writes_resume_once_the_remaining_standby_is_synchronous() throws Exception {
        String leader = cluster.awaitLeader();
        String sync = cluster.awaitSyncStandbys(1).get(0);
        cluster.killMember(leader);
        assertThat(cluster.awaitLeader()).isEqualTo(sync);
        int port = await().atMost(Duration.ofSeconds(60)).until(() -> cluster.tryWrite("after-failover"), p -> p > 0);
        assertThat(port).isEqualTo(cluster.member(sync).postgresPort());
        // SSN names the standby first (that releases commits), the key lists it once it holds them all; until
        // then the key still names the new leader itself, so the remaining standby is awaited, not any one name
        String third = cluster.names().stream().filter(n -> !n.equals(leader) && !n.equals(sync)).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(cluster::syncStandbys, s -> s.equals(List.of(third)));
    }
}
