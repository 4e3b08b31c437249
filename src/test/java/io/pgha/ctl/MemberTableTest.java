package io.pgha.ctl;

import io.pgha.contract.ClusterView;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected texts were produced by Debian's patronictl 3.0.2 from the same keys. */
class MemberTableTest {
    private static final DcsKeys KEYS = new DcsKeys("/service/", "demo");

    static ClusterParser.Entry e(String suffix, String value) {
        return new ClusterParser.Entry(KEYS.key(suffix), value, 1, 0);
    }

    static Cluster cluster(ClusterParser.Entry... extra) {
        List<ClusterParser.Entry> kvs = new ArrayList<>(List.of(
                e("leader", "m1"),
                e("status", "{\"optime\":52428800}"),
                e("config", "{\"ttl\":30,\"loop_wait\":10}"),
                e("sync", "{\"leader\":\"m1\",\"sync_standby\":\"m3\"}"),
                e("history", "[[1,67109352,\"no recovery target specified\",\"2026-11-27T20:25:45.333578+00:00\",\"m2\"],[2,83886240,\"no recovery target specified\"]]"),
                e("members/m1", "{\"conn_url\":\"postgres://127.0.0.1:15401/postgres\",\"api_url\":\"http://127.0.0.1:18101/patroni\",\"state\":\"running\",\"role\":\"master\",\"xlog_location\":52428800,\"timeline\":3}"),
                e("members/m2", "{\"conn_url\":\"postgres://127.0.0.1:15402/postgres\",\"api_url\":\"http://127.0.0.1:18102/patroni\",\"state\":\"running\",\"role\":\"replica\",\"pending_restart\":true,\"xlog_location\":50331648,\"timeline\":3,\"tags\":{\"nofailover\":true,\"replicatefrom\":\"m3\",\"custom\":\"on\"}}"),
                e("members/m3", "{\"conn_url\":\"postgres://127.0.0.1:15403/postgres\",\"api_url\":\"http://127.0.0.1:18103/patroni\",\"state\":\"running\",\"role\":\"replica\",\"timeline\":3,\"scheduled_restart\":{\"schedule\":\"2026-12-01T10:00:00+00:00\",\"postgres_version\":\"15.9\"}}"),
                e("members/m4/extra", "{}")));
        kvs.addAll(List.of(extra));
        return ClusterParser.parse(KEYS, kvs, 7);
    }

    private static String render(Cluster c, boolean extended, String fmt) {
        return MemberTable.render("demo", ClusterView.of(c), extended, fmt);
    }

    @Test
    void pretty_table_with_multi_line_tags_rules_every_row() {
        assertThat(render(cluster(), false, "pretty")).isEqualTo("""
                + Cluster: demo -----------+--------------+---------+----+-----------+-----------------+---------------------------------------------+-------------------+
                | Member | Host            | Role         | State   | TL | Lag in MB | Pending restart | Scheduled restart                           | Tags              |
                +--------+-----------------+--------------+---------+----+-----------+-----------------+---------------------------------------------+-------------------+
                | m1     | 127.0.0.1:15401 | Leader       | running |  3 |           |                 |                                             |                   |
                +--------+-----------------+--------------+---------+----+-----------+-----------------+---------------------------------------------+-------------------+
                | m2     | 127.0.0.1:15402 | Replica      | running |  3 |         2 | *               |                                             | custom: 'on'      |
                |        |                 |              |         |    |           |                 |                                             | nofailover: true  |
                |        |                 |              |         |    |           |                 |                                             | replicatefrom: m3 |
                +--------+-----------------+--------------+---------+----+-----------+-----------------+---------------------------------------------+-------------------+
                | m3     | 127.0.0.1:15403 | Sync Standby | running |  3 |   unknown |                 | 2026-12-01T10:00:00+00:00 if version < 15.9 |                   |
                +--------+-----------------+--------------+---------+----+-----------+-----------------+---------------------------------------------+-------------------+
                """);
    }

    @Test
    void json_leaves_out_empty_cells_and_keeps_numbers_and_tag_order() {
        assertThat(render(cluster(), false, "json")).isEqualTo("[{\"Cluster\": \"demo\", \"Member\": \"m1\", \"Host\": \"127.0.0.1:15401\", "
                + "\"Role\": \"Leader\", \"State\": \"running\", \"TL\": 3}, {\"Cluster\": \"demo\", \"Member\": \"m2\", \"Host\": \"127.0.0.1:15402\", "
                + "\"Role\": \"Replica\", \"State\": \"running\", \"TL\": 3, \"Lag in MB\": 2, \"Pending restart\": \"*\", "
                + "\"Tags\": {\"nofailover\": true, \"replicatefrom\": \"m3\", \"custom\": \"on\"}}, {\"Cluster\": \"demo\", \"Member\": \"m3\", "
                + "\"Host\": \"127.0.0.1:15403\", \"Role\": \"Sync Standby\", \"State\": \"running\", \"TL\": 3, \"Lag in MB\": \"unknown\", "
                + "\"Scheduled restart\": \"2026-12-01T10:00:00+00:00 if version < 15.9\"}]\n");
    }

    @Test
    void yaml_sorts_keys_and_quotes_what_yaml_would_read_as_another_type() {
        String yaml = render(cluster(), false, "yaml");
        assertThat(yaml).startsWith("- Cluster: demo\n  Host: 127.0.0.1:15401\n  Member: m1\n  Role: Leader\n  State: running\n  TL: 3\n- Cluster: demo\n");
        assertThat(yaml).contains("  Pending restart: '*'\n").contains("  Tags:\n    custom: 'on'\n    nofailover: true\n    replicatefrom: m3\n");
    }

    @Test
    void tsv_keeps_the_cluster_column_and_prints_tags_in_flow_style() {
        assertThat(render(cluster(), false, "tsv").lines().toList()).containsExactly(
                "Cluster\tMember\tHost\tRole\tState\tTL\tLag in MB\tPending restart\tScheduled restart\tTags",
                "demo\tm1\t127.0.0.1:15401\tLeader\trunning\t3\t\t\t\t",
                "demo\tm2\t127.0.0.1:15402\tReplica\trunning\t3\t2\t*\t\t{custom: 'on', nofailover: true, replicatefrom: m3}",
                "demo\tm3\t127.0.0.1:15403\tSync Standby\trunning\t3\tunknown\t\t2026-12-01T10:00:00+00:00 if version < 15.9\t");
    }

    @Test
    void topology_nests_members_under_their_replicatefrom_parent() {
        List<String> rows = render(cluster(), false, "topology").lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Member")).toList();
        assertThat(rows).extracting(l -> l.split("\\|")[1]).containsExactly(" m1     ", " + m3   ", "   + m2 ");
    }

    @Test
    void footer_shows_maintenance_mode_and_scheduled_switchover() {
        Cluster c = cluster(e("config", "{\"pause\":true}"),
                e("failover", "{\"leader\":\"m1\",\"member\":\"m3\",\"scheduled_at\":\"2026-12-01T10:00:00Z\"}"));
        assertThat(render(c, false, "pretty")).endsWith("""
                 Maintenance mode: on
                 Switchover scheduled at: 2026-12-01T10:00:00+00:00
                                    from: m1
                                      to: m3
                """);
        assertThat(render(c, false, "json")).doesNotContain("Maintenance");
    }

    @Test
    void standby_cluster_config_makes_the_leader_a_standby_leader() {
        Cluster c = cluster(e("config", "{\"standby_cluster\":{\"host\":\"10.0.0.1\"}}"));
        assertThat(ClusterView.of(c).get("members").get(0).get("role").asText()).isEqualTo("standby_leader");
        assertThat(render(c, false, "pretty")).contains("| Standby Leader |");
    }

    @Test
    void extended_shows_optional_columns_even_when_empty_and_port_only_when_needed() {
        Cluster c = ClusterParser.parse(KEYS, List.of(e("leader", "a"),
                e("members/a", "{\"conn_url\":\"postgres://10.0.0.1:5432/postgres\",\"state\":\"running\",\"role\":\"master\",\"timeline\":1}"),
                e("members/b", "{\"conn_url\":\"postgres://10.0.0.2/postgres\",\"state\":\"streaming\",\"role\":\"replica\",\"xlog_location\":0}")), 3);
        String out = MemberTable.render("demo", ClusterView.of(c), true, "pretty");
        assertThat(out).contains("| Member | Host     | Role    | State     | TL | Lag in MB | Pending restart | Scheduled restart | Tags |");
        assertThat(out).contains("| b      | 10.0.0.2 | Replica | streaming |    |         0 |");
    }

    @Test
    void empty_cluster_prints_header_only() {
        Cluster c = ClusterParser.parse(KEYS, List.of(), 1);
        assertThat(MemberTable.render("nosuch", ClusterView.of(c), false, "pretty")).isEqualTo("""
                + Cluster: nosuch -----+-------+----+-----------+
                | Member | Host | Role | State | TL | Lag in MB |
                +--------+------+------+-------+----+-----------+
                +--------+------+------+-------+----+-----------+
                """);
        assertThat(MemberTable.render("nosuch", ClusterView.of(c), false, "json")).isEqualTo("[]\n");
    }

    @Test
    void lag_rounds_half_to_even_like_python() {
        Cluster c = cluster(e("status", "{\"optime\":" + (50331648L + 2_621_440L) + "}")); // m2 is 2.5 MiB behind
        assertThat(ClusterView.of(c).get("members").get(1).get("lag").asLong()).isEqualTo(2_621_440L);
        assertThat(render(c, false, "tsv")).contains("\t2\t*");
    }
}
