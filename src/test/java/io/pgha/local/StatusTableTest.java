package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void leader_replicas_and_an_unreachable_member_render_like_patronictl_list() {
        List<MemberStatus> members = List.of(
                new MemberStatus("m1", "127.0.0.1:16101", true, true, "running", 2, 100L * 1024 * 1024),
                new MemberStatus("m2", "127.0.0.1:16102", true, false, "running", 2, 97L * 1024 * 1024 - 300_000),
                MemberStatus.unreachable("m3", "127.0.0.1:16103"));

        String table = new StatusTable().render("pgha-local", members);

        assertThat(table).isEqualTo("""
                + Cluster: pgha-local -----+---------+-------------+----+-----------+
                | Member | Host            | Role    | State       | TL | Lag in MB |
                +--------+-----------------+---------+-------------+----+-----------+
                | m1     | 127.0.0.1:16101 | Leader  | running     |  2 |           |
                | m2     | 127.0.0.1:16102 | Replica | running     |  2 |         3 |
                | m3     | 127.0.0.1:16103 |         | unreachable |    |           |
                +--------+-----------------+---------+-------------+----+-----------+
                """);
    }

    @Test
    void lag_is_unknown_without_a_leader_position_and_never_negative() {
        MemberStatus replica = new MemberStatus("m2", "h", true, false, "running", 1, 500L);

        assertThat(StatusTable.lag(replica, Optional.empty())).isEqualTo("unknown");
        assertThat(StatusTable.lag(replica, Optional.of(100L))).isEqualTo("0");
        assertThat(StatusTable.lag(new MemberStatus("m2", "h", true, false, "running", 1, null), Optional.of(1L)))
                .isEqualTo("unknown");
    }

    @Test
    void a_primary_status_json_is_read_as_the_leader_at_its_location() throws Exception {
        MemberStatus m = MemberStatus.fromPatroni("m1", "h", JSON.readTree(
                "{\"state\":\"running\",\"role\":\"master\",\"xlog\":{\"location\":67108960},\"timeline\":3}"));

        assertThat(m).isEqualTo(new MemberStatus("m1", "h", true, true, "running", 3, 67108960L));
    }

    @Test
    void a_replica_status_json_is_read_at_the_furthest_of_received_and_replayed() throws Exception {
        MemberStatus m = MemberStatus.fromPatroni("m2", "h", JSON.readTree("{\"state\":\"running\",\"role\":\"replica\","
                + "\"xlog\":{\"received_location\":500,\"replayed_location\":400,\"paused\":false},\"timeline\":3}"));

        assertThat(m).isEqualTo(new MemberStatus("m2", "h", true, false, "running", 3, 500L));
    }

    @Test
    void a_stopped_replica_without_positions_has_no_location() throws Exception {
        MemberStatus m = MemberStatus.fromPatroni("m2", "h", JSON.readTree("{\"state\":\"stopped\",\"role\":\"replica\"}"));

        assertThat(m.location()).isNull();
        assertThat(m.timeline()).isNull();
        assertThat(m.state()).isEqualTo("stopped");
    }
}
