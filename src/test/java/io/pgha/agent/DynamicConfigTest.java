package io.pgha.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamicConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_valid_key_is_read_with_patronis_spellings() throws Exception {
        DynamicConfig d = DynamicConfig.from(JSON.readTree("{\"ttl\":\"30\",\"loop_wait\":10,\"retry_timeout\":10,"
                + "\"synchronous_mode\":\"on\",\"synchronous_node_count\":2,\"check_timeline\":\"no\","
                + "\"postgresql\":{\"use_pg_rewind\":\"off\",\"parameters\":{\"work_mem\":\"4MB\",\"hot_standby\":true,\"x.y\":null}}}"));
        assertThat(d.ttl()).isEqualTo(30);
        assertThat(d.sync()).isEqualTo(new DynamicConfig.Sync(true, false, 2, -1));
        assertThat(d.checkTimeline()).isFalse();
        assertThat(d.usePgRewind()).isFalse();
        assertThat(d.parameters()).isEqualTo(Map.of("work_mem", "4MB", "hot_standby", "on"));
    }

    @Test
    void invalid_values_written_around_the_api_keep_the_last_valid_ones() throws Exception {
        DynamicConfig last = DynamicConfig.from(JSON.readTree("{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,"
                + "\"maximum_lag_on_failover\":5,\"failsafe_mode\":true,\"postgresql\":{\"parameters\":{\"work_mem\":\"4MB\"}}}"));
        DynamicConfig next = DynamicConfig.from(JSON.readTree("{\"ttl\":\"abc\",\"loop_wait\":-7,\"retry_timeout\":10,"
                + "\"maximum_lag_on_failover\":[1],\"failsafe_mode\":\"maybe\",\"check_timeline\":false,"
                + "\"postgresql\":{\"parameters\":{\"work_mem\":\"8MB\\nfsync = off\",\"bad\\nname\":1,\"shared_buffers\":\"1GB\"}}}"),
                last, "[demo/m1] ");
        assertThat(next.ttl()).isEqualTo(30);
        assertThat(next.loopWait()).isEqualTo(10);
        assertThat(next.retryTimeout()).isEqualTo(10);
        assertThat(next.maximumLagOnFailover()).isEqualTo(5);
        assertThat(next.failsafeMode()).isTrue();
        assertThat(next.checkTimeline()).isFalse(); // the valid change is taken
        assertThat(next.parameters()).isEqualTo(Map.of("work_mem", "4MB", "shared_buffers", "1GB"));
    }

    @Test
    void a_timing_that_breaks_the_rule_keeps_the_timing_in_force() throws Exception {
        DynamicConfig next = DynamicConfig.from(JSON.readTree("{\"ttl\":6,\"loop_wait\":2,\"retry_timeout\":3}"),
                DynamicConfig.DEFAULTS, "");
        assertThat(next.ttl()).isEqualTo(6);
        assertThat(next.loopWait()).isEqualTo(1);
        assertThat(next.retryTimeout()).isEqualTo(2);
    }
}
