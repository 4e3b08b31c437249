package io.pgha.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DynamicConfigDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode desired(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static JsonNode actual(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void onlyWhatDiffersIsPatched() throws Exception {
        assertThat(DynamicConfigDiff.of(desired("{\"ttl\":6,\"loop_wait\":1}"), actual("{\"ttl\":30,\"loop_wait\":1,\"pause\":true}")))
                .isEqualTo(actual("{\"ttl\":6}"));
    }

    @Test
    void missingKeysCountAsPatronisDefaults() throws Exception {
        ObjectNode async = desired("{\"synchronous_mode\":false,\"synchronous_mode_strict\":false,\"synchronous_node_count\":1}");
        assertThat(DynamicConfigDiff.of(async, actual("{}"))).isEmpty();
        assertThat(DynamicConfigDiff.of(desired("{\"ttl\":6}"), actual("{}"))).isEqualTo(actual("{\"ttl\":6}"));
    }

    @Test
    void numbersCompareByValueAndBooleansAlsoFromPatronisStrings() throws Exception {
        assertThat(DynamicConfigDiff.of(desired("{\"ttl\":30,\"synchronous_mode\":true}"),
                actual("{\"ttl\":30.0,\"synchronous_mode\":\"on\"}"))).isEmpty();
        assertThat(DynamicConfigDiff.of(desired("{\"synchronous_mode\":true}"), actual("{\"synchronous_mode\":\"off\"}")))
                .isEqualTo(actual("{\"synchronous_mode\":true}"));
    }
}
