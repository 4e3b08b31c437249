package io.pgha.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DynamicConfigValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GucCatalog SERVER = GucCatalog.of(Set.of("shared_buffers", "work_mem", "max_connections",
            "wal_log_hints", "log_line_prefix"));

    private static DynamicConfigValidator.Verdict check(String json) throws Exception {
        return DynamicConfigValidator.validate(JSON.readTree(json), SERVER);
    }

    @ParameterizedTest(name = "accepted: {0}")
    @ValueSource(strings = {
        "{}",
        "{\"ttl\":6,\"loop_wait\":1,\"retry_timeout\":2}",
        "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10}",
        "{\"ttl\":\"30\",\"loop_wait\":\"10\",\"retry_timeout\":\"10\"}",
        "{\"ttl\":3,\"loop_wait\":1,\"retry_timeout\":1}",
        "{\"ttl\":3600,\"loop_wait\":3598,\"retry_timeout\":1}",
        "{\"ttl\":null,\"loop_wait\":null}",
        "{\"maximum_lag_on_failover\":0,\"maximum_lag_on_syncnode\":-1}",
        "{\"synchronous_mode\":\"on\",\"synchronous_mode_strict\":\"off\",\"synchronous_node_count\":2}",
        "{\"synchronous_mode\":1,\"failsafe_mode\":\"YES\",\"check_timeline\":\"no\",\"pause\":false}",
        "{\"primary_start_timeout\":300,\"master_start_timeout\":0,\"primary_stop_timeout\":10}",
        "{\"slots\":{\"x\":{\"type\":\"physical\"}},\"ignore_slots\":[],\"standby_cluster\":null}",
        "{\"postgresql\":{\"use_pg_rewind\":true,\"use_slots\":\"on\",\"pg_hba\":[\"host all all 0/0 md5\"]}}",
        "{\"postgresql\":{\"parameters\":{\"shared_buffers\":\"1GB\",\"work_mem\":4096,\"wal_log_hints\":true}}}",
        "{\"postgresql\":{\"parameters\":{\"Shared_Buffers\":\"1GB\",\"work_mem\":null}}}",
        "{\"postgresql\":{\"parameters\":{\"pg_stat_statements.max\":10000,\"my.custom.deep\":\"it's \\\\ fine\"}}}",
        "{\"postgresql\":{\"parameters\":{\"log_line_prefix\":\"%m [%p] %q%u@%d '\"}}}",
    })
    void valid_configurations_are_accepted(String json) throws Exception {
        DynamicConfigValidator.Verdict v = check(json);
        assertThat(v.problems()).isEmpty();
        assertThat(v.ok()).isTrue();
    }

    @ParameterizedTest(name = "refused: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"ttl\":\"abc\"}                                  | ttl: expected an integer, got \"abc\"",
        "{\"ttl\":6.5}                                      | ttl: expected an integer, got 6.5",
        "{\"ttl\":[6]}                                      | ttl: expected an integer",
        "{\"ttl\":1}                                        | ttl: must be between 2 and 3600, got 1",
        "{\"ttl\":3601}                                     | ttl: must be between 2 and 3600, got 3601",
        "{\"ttl\":99999999999999999999999}                  | ttl: expected an integer",
        "{\"loop_wait\":-7}                                 | loop_wait: must be between 1 and 3600, got -7",
        "{\"loop_wait\":0}                                  | loop_wait: must be between 1 and 3600, got 0",
        "{\"retry_timeout\":true}                           | retry_timeout: expected an integer, got true",
        "{\"ttl\":6,\"loop_wait\":2,\"retry_timeout\":3}    | loop_wait + 2 x retry_timeout <= ttl",
        "{\"ttl\":4}                                        | loop_wait + 2 x retry_timeout <= ttl (got ttl 4, loop_wait 1, retry_timeout 2)",
        "{\"maximum_lag_on_failover\":-1}                   | maximum_lag_on_failover: must be at least 0, got -1",
        "{\"maximum_lag_on_failover\":\"1MB\"}              | maximum_lag_on_failover: expected an integer",
        "{\"maximum_lag_on_syncnode\":-2}                   | maximum_lag_on_syncnode: must be at least -1",
        "{\"synchronous_mode\":\"quorum\"}                  | synchronous_mode: expected a boolean",
        "{\"synchronous_mode_strict\":2}                    | synchronous_mode_strict: expected a boolean",
        "{\"failsafe_mode\":{}}                             | failsafe_mode: expected a boolean",
        "{\"check_timeline\":\"maybe\"}                     | check_timeline: expected a boolean",
        "{\"pause\":[true]}                                 | pause: expected a boolean",
        "{\"synchronous_node_count\":0}                     | synchronous_node_count: must be between 1 and 1024, got 0",
        "{\"primary_start_timeout\":-1}                     | primary_start_timeout: must be at least 0",
        "{\"master_start_timeout\":\"soon\"}                | master_start_timeout: expected an integer",
        "{\"loopwait\":1}                                   | loopwait: unknown dynamic configuration key",
        "{\"postgresql\":[]}                                | postgresql: expected a mapping",
        "{\"postgresql\":{\"use_pg_rewind\":\"sure\"}}      | postgresql.use_pg_rewind: expected a boolean",
        "{\"postgresql\":{\"use_slots\":5}}                 | postgresql.use_slots: expected a boolean",
        "{\"postgresql\":{\"data_dir\":\"/x\"}}             | postgresql.data_dir: unknown dynamic configuration key",
        "{\"postgresql\":{\"parameters\":\"work_mem=1\"}}   | postgresql.parameters: expected a mapping",
        "{\"postgresql\":{\"parameters\":{\"shared_bufers\":\"1GB\"}}} | postgresql.parameters.shared_bufers: not a parameter of this PostgreSQL server",
        "{\"postgresql\":{\"parameters\":{\"a\\nb\":1}}}    | postgresql.parameters.\"a\\nb\": not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\"x'y\":1}}}      | not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\"a=b\":1}}}      | not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\"a b\":1}}}      | not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\"\":1}}}         | not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\".x\":1}}}       | not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\"x.\":1}}}       | not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\"1abc\":1}}}     | not a valid parameter name",
        "{\"postgresql\":{\"parameters\":{\"work_mem\":[1]}}}  | postgresql.parameters.work_mem: expected a string, number or boolean, got [1]",
        "{\"postgresql\":{\"parameters\":{\"work_mem\":{\"a\":1}}}} | expected a string, number or boolean",
        "{\"postgresql\":{\"parameters\":{\"work_mem\":\"1MB\\nshared_buffers = 1\"}}} | work_mem: value holds a control character",
        "{\"postgresql\":{\"parameters\":{\"work_mem\":\"a\\tb\"}}} | value holds a control character",
    })
    void invalid_configurations_are_refused_with_a_message_naming_the_key(String json, String expected) throws Exception {
        DynamicConfigValidator.Verdict v = check(json);
        assertThat(v.ok()).isFalse();
        assertThat(v.message()).contains(expected.strip()).doesNotContain("\n");
    }

    @Test
    void every_problem_is_listed_in_one_message() throws Exception {
        DynamicConfigValidator.Verdict v = check("{\"ttl\":\"abc\",\"loop_wait\":-7,\"synchronous_mode\":\"x\","
                + "\"postgresql\":{\"parameters\":{\"shared_bufers\":1,\"a\\nb\":2}}}");
        assertThat(v.problems()).extracting(DynamicConfigValidator.Problem::key)
                .containsExactly("ttl", "loop_wait", "synchronous_mode", "postgresql.parameters.shared_bufers",
                        "postgresql.parameters.\"a\\nb\"");
    }

    @Test
    void a_name_that_is_too_long_and_a_value_that_is_too_long_are_refused() throws Exception {
        JsonNode doc = JSON.createObjectNode().set("postgresql", JSON.createObjectNode().set("parameters",
                JSON.createObjectNode().put("x." + "a".repeat(200), 1).put("work_mem", "1".repeat(9000))));
        DynamicConfigValidator.Verdict v = DynamicConfigValidator.validate(doc, SERVER);
        assertThat(v.message()).contains("parameter name longer than 128").contains("value longer than 8192");
    }

    @Test
    void without_the_servers_list_plain_names_are_accepted_and_reported_as_unchecked() throws Exception {
        DynamicConfigValidator.Verdict v = DynamicConfigValidator.validate(
                JSON.readTree("{\"postgresql\":{\"parameters\":{\"shared_bufers\":1,\"ext.x\":2,\"a\\nb\":3}}}"), GucCatalog.NONE);
        assertThat(v.problems()).extracting(DynamicConfigValidator.Problem::key).containsExactly("postgresql.parameters.\"a\\nb\"");
        assertThat(v.uncheckedNames()).containsExactly("shared_bufers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "3", "\"ttl\"", "null"})
    void a_document_that_is_not_a_mapping_is_refused(String json) throws Exception {
        assertThat(check(json).message()).contains("expected a mapping");
    }

    @Test
    void conf_values_render_booleans_as_on_off_and_refuse_control_characters() throws Exception {
        assertThat(DynamicConfigValidator.confValue(JSON.readTree("true"))).isEqualTo("on");
        assertThat(DynamicConfigValidator.confValue(JSON.readTree("false"))).isEqualTo("off");
        assertThat(DynamicConfigValidator.confValue(JSON.readTree("128"))).isEqualTo("128");
        assertThat(DynamicConfigValidator.confValue(JSON.readTree("\"it's\""))).isEqualTo("it's");
        assertThat(DynamicConfigValidator.confValue(JSON.readTree("\"a\\u0000b\""))).isNull();
        assertThat(DynamicConfigValidator.confValue(JSON.readTree("\"a\\u007fb\""))).isNull();
        assertThat(DynamicConfigValidator.confValue(JSON.readTree("[1]"))).isNull();
    }
}
