package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterTableTest {
    private static final DcsKeys KEYS = new DcsKeys("/service/", "demo");

    private static ClusterParser.Entry e(String suffix, String value) {
        return new ClusterParser.Entry(KEYS.key(suffix), value, 1, 0);
    }

    private static Cluster cluster() {
        return ClusterParser.parse(KEYS, List.of(
                e("leader", "m1"),
                e("status", "{\"optime\":52428800}"),
                e("sync", "{\"leader\":\"m1\",\"sync_standby\":\"m3\"}"),
                e("members/m1", "{\"conn_url\":\"postgres://127.0.0.1:15401/postgres\",\"state\":\"running\",\"role\":\"master\",\"xlog_location\":52428800,\"timeline\":2}"),
                e("members/m2", "{\"conn_url\":\"postgres://127.0.0.1:15402/postgres\",\"state\":\"running\",\"role\":\"replica\",\"xlog_location\":50331648,\"timeline\":2}"),
                e("members/m3", "{\"conn_url\":\"postgres://127.0.0.1:5432/postgres\",\"state\":\"stopped\",\"role\":\"replica\"}"),
                e("members/m4/extra", "{}")), 7);
    }

    @Test
    void rolesAndLagFollowPatronictlRules() {
        List<ClusterTable.Row> rows = ClusterTable.rows(cluster());
        assertThat(rows).extracting(ClusterTable.Row::member).containsExactly("m1", "m2", "m3");
        assertThat(rows.get(0)).isEqualTo(new ClusterTable.Row("m1", "127.0.0.1:15401", "Leader", "running", "2", ""));
        assertThat(rows.get(1).lag()).isEqualTo("2");
        assertThat(rows.get(2).role()).isEqualTo("Sync Standby");
        assertThat(rows.get(2).lag()).isEqualTo("unknown");
        assertThat(rows.get(2).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void prettyTableHasHeaderAndOneLinePerMember() {
        String out = ClusterTable.pretty("demo", cluster());
        assertThat(out).startsWith("+ Cluster: demo ");
        assertThat(out).contains("| Member | Host            | Role         | State   | TL | Lag in MB |");
        assertThat(out.lines().filter(l -> l.startsWith("| m")).count()).isEqualTo(3);
    }

    @Test
    void jsonKeepsLagNumericOrUnknown() {
        String json = ClusterTable.json(cluster());
        assertThat(json).contains("\"Lag in MB\":2").contains("\"Lag in MB\":\"unknown\"");
    }
}
