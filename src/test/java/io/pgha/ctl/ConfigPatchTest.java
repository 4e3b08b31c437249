package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigPatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void set_reads_values_as_yaml_1_1_and_deletes_with_null_or_nothing() throws Exception {
        JsonNode before = json("{\"ttl\":30,\"loop_wait\":10,\"standby_cluster\":{\"host\":\"x\"}}");
        JsonNode after = ConfigPatch.set(before, List.of("ttl=20", "pause=on", "loop_wait=", "standby_cluster.host=null", "name=off the record"));
        assertThat(after.toString()).isEqualTo("{\"ttl\":20,\"pause\":true,\"name\":\"off the record\"}");
        assertThat(before.get("ttl").asInt()).as("input untouched").isEqualTo(30);
    }

    @Test
    void postgresql_parameters_keep_dotted_guc_names_whole() throws Exception {
        JsonNode after = ConfigPatch.set(json("{}"), List.of("postgresql.parameters.auto_explain.log_min_duration=10s",
                "postgresql.use_slots=true"));
        assertThat(after).isEqualTo(json("{\"postgresql\":{\"parameters\":{\"auto_explain.log_min_duration\":\"10s\"},\"use_slots\":true}}"));
    }

    @Test
    void a_pair_without_equals_sign_is_refused() {
        assertThatThrownBy(() -> ConfigPatch.set(json("{}"), List.of("loop_wait")))
                .isInstanceOf(CtlException.class).hasMessage("Invalid parameter setting loop_wait");
    }

    @Test
    void merge_is_deep_and_null_deletes() throws Exception {
        JsonNode after = ConfigPatch.merge(json("{\"ttl\":30,\"postgresql\":{\"parameters\":{\"a\":1,\"b\":2},\"use_slots\":true}}"),
                PyYaml.load("ttl: 20\npostgresql:\n  parameters:\n    a: null\n    c: 'on'\n"));
        assertThat(after.toString()).isEqualTo("{\"ttl\":20,\"postgresql\":{\"parameters\":{\"b\":2,\"c\":\"on\"},\"use_slots\":true}}");
    }

    @Test
    void a_number_equal_to_the_stored_one_is_no_change() throws Exception {
        assertThat(EditConfig.sameValue(json("{\"ttl\":30}"), PyYaml.load("ttl: 30"))).isTrue();
        assertThat(EditConfig.sameValue(json("{\"ttl\":30}"), PyYaml.load("ttl: '30'"))).isFalse();
    }
}
