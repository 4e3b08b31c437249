package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.config.DcsTiming;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalLayoutTest {

    private static final Path DIR = Path.of("/var/tmp/c1");

    @Test
    void the_default_layout_keeps_clear_of_5432_and_is_laid_out_from_the_base() {
        LocalLayout l = LocalLayout.fromPortBase(DIR, "pgha-local", 3, LocalLayout.DEFAULT_PORT_BASE, DcsTiming.PGHA_DEFAULT);

        assertThat(l.haproxy()).isEqualTo(new LocalLayout.HaproxyPorts(16000, 16001, 16002));
        assertThat(l.etcd()).containsExactly(
                new LocalLayout.EtcdMember("e1", 16011, 16021),
                new LocalLayout.EtcdMember("e2", 16012, 16022),
                new LocalLayout.EtcdMember("e3", 16013, 16023));
        assertThat(l.members()).containsExactly(
                new LocalLayout.Member("m1", 16101, 16201, 16301),
                new LocalLayout.Member("m2", 16102, 16202, 16302),
                new LocalLayout.Member("m3", 16103, 16203, 16303));
        assertThat(l.allPorts()).doesNotContain(5432);
        assertThat(l.etcdHosts()).containsExactly("127.0.0.1:16011", "127.0.0.1:16012", "127.0.0.1:16013");
        assertThat(l.member("m2").restUrl()).isEqualTo("http://127.0.0.1:16302/patroni");
    }

    @Test
    void the_most_members_on_the_highest_base_use_distinct_valid_ports() {
        int base = 65535 - LocalLayout.SPAN;
        LocalLayout l = LocalLayout.fromPortBase(DIR, "s", LocalLayout.MAX_MEMBERS, base, DcsTiming.PGHA_DEFAULT);

        List<Integer> ports = l.allPorts();
        assertThat(new HashSet<>(ports)).hasSameSizeAs(ports);
        assertThat(ports).allMatch(p -> p >= base && p <= 65535);
        assertThat(l.members()).hasSize(99);
        assertThat(l.members().get(98).name()).isEqualTo("m99");
    }

    @Test
    void an_advertise_offset_moves_only_the_advertised_postgres_ports_and_may_not_hit_a_port_of_the_layout() {
        LocalLayout l = LocalLayout.fromPortBase(DIR, "s", 2, 16000, DcsTiming.PGHA_DEFAULT);

        assertThat(l.member("m1").advertisedPostgresPort()).isEqualTo(16101);
        LocalLayout moved = l.withPostgresAdvertiseOffset(400);
        assertThat(moved.members()).containsExactly(
                new LocalLayout.Member("m1", 16101, 16201, 16301, 16501),
                new LocalLayout.Member("m2", 16102, 16202, 16302, 16502));
        assertThat(moved.allPorts()).isEqualTo(l.allPorts());
        assertBadInput(() -> l.withPostgresAdvertiseOffset(100), "--pg-advertise-port-offset 100");
        assertBadInput(() -> l.withPostgresAdvertiseOffset(-1), "--pg-advertise-port-offset -1");
    }

    @Test
    void an_etcd_offset_moves_only_where_the_agents_reach_etcd_and_may_not_hit_a_port_of_the_layout() {
        LocalLayout l = LocalLayout.fromPortBase(DIR, "s", 2, 16000, DcsTiming.PGHA_DEFAULT).withPostgresAdvertiseOffset(400);

        assertThat(l.agentEtcdHosts()).isEqualTo(l.etcdHosts());
        LocalLayout moved = l.withEtcdAgentOffset(470);
        assertThat(moved.agentEtcdHosts()).containsExactly("127.0.0.1:16481", "127.0.0.1:16482", "127.0.0.1:16483");
        assertThat(moved.etcdHosts()).containsExactly("127.0.0.1:16011", "127.0.0.1:16012", "127.0.0.1:16013");
        assertThat(moved.allPorts()).isEqualTo(l.allPorts());
        assertThat(moved.members()).isEqualTo(l.members());
        assertBadInput(() -> l.withEtcdAgentOffset(10), "--etcd-port-offset 10");   // the peer ports
        assertBadInput(() -> l.withEtcdAgentOffset(490), "--etcd-port-offset 490"); // m1's advertised port 16501
        assertBadInput(() -> l.withEtcdAgentOffset(-1), "--etcd-port-offset -1");
        assertBadInput(() -> l.withEtcdAgentOffset(60000), "--etcd-port-offset 60000");
    }

    @Test
    void paths_live_under_the_cluster_directory() {
        LocalLayout l = LocalLayout.fromPortBase(DIR, "s", 1, 16000, DcsTiming.PGHA_DEFAULT);
        LocalLayout.Member m1 = l.member("m1");

        assertThat(l.clusterFile()).isEqualTo(DIR.resolve("cluster.json"));
        assertThat(l.patronictlFile()).isEqualTo(DIR.resolve("patronictl.yaml"));
        assertThat(l.agentConfig(m1)).isEqualTo(DIR.resolve("m1/patroni.yml"));
        assertThat(l.agentLog(m1)).isEqualTo(DIR.resolve("m1/agent.log"));
        assertThat(l.dataDir(m1)).isEqualTo(DIR.resolve("m1/data"));
        assertThat(l.etcdDataDir(l.etcd().get(2))).isEqualTo(DIR.resolve("etcd/e3"));
        assertThat(l.socketDir()).isEqualTo(DIR.resolve("run"));
    }

    @Test
    void a_relative_directory_is_made_absolute() {
        LocalLayout l = LocalLayout.fromPortBase(Path.of("rel/../c2"), "s", 1, 16000, DcsTiming.PGHA_DEFAULT);

        assertThat(l.dir().isAbsolute()).isTrue();
        assertThat(l.dir().getFileName().toString()).isEqualTo("c2");
        assertThat(l.dir().toString()).doesNotContain("..");
    }

    @Test
    void member_counts_outside_1_to_99_are_bad_input() {
        assertBadInput(() -> LocalLayout.fromPortBase(DIR, "s", 0, 16000, DcsTiming.PGHA_DEFAULT), "--members");
        assertBadInput(() -> LocalLayout.fromPortBase(DIR, "s", 100, 16000, DcsTiming.PGHA_DEFAULT), "--members");
    }

    @Test
    void port_bases_that_would_leave_the_valid_range_are_bad_input() {
        assertBadInput(() -> LocalLayout.fromPortBase(DIR, "s", 3, 1000, DcsTiming.PGHA_DEFAULT), "--port-base");
        assertBadInput(() -> LocalLayout.fromPortBase(DIR, "s", 3, 65535 - LocalLayout.SPAN + 1, DcsTiming.PGHA_DEFAULT),
                "--port-base");
    }

    @Test
    void a_scope_that_cannot_be_an_etcd_path_segment_is_bad_input() {
        assertBadInput(() -> LocalLayout.fromPortBase(DIR, "a/b", 3, 16000, DcsTiming.PGHA_DEFAULT), "--scope");
        assertBadInput(() -> LocalLayout.fromPortBase(DIR, "", 3, 16000, DcsTiming.PGHA_DEFAULT), "--scope");
    }

    static void assertBadInput(Runnable r, String mentions) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(LocalException.class,
                e -> assertThat(e.exitCode()).isEqualTo(LocalException.BAD_INPUT))
                .hasMessageContaining(mentions);
    }
}
