package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** JSON, YAML and time texts as Python prints them (expected values taken from python3 / patronictl). */
class PyFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void json_uses_python_separators_and_escapes_non_ascii() throws Exception {
        assertThat(PyJson.dumps(JSON.readTree("{\"a\":[1,2.5,true,null],\"b\":\"é\\\"\"}")))
                .isEqualTo("{\"a\": [1, 2.5, true, null], \"b\": \"\\u00e9\\\"\"}");
    }

    @Test
    void yaml_dump_sorts_keys_and_quotes_ambiguous_strings() throws Exception {
        String yaml = PyYaml.dump(JSON.readTree("{\"z\":{\"on\":\"on\",\"n\":\"10\",\"e\":\"\",\"l\":[1,\"yes\"]},\"a\":{}}"), false);
        assertThat(yaml).isEqualTo("a: {}\nz:\n  e: ''\n  l:\n  - 1\n  - 'yes'\n  n: '10'\n  'on': 'on'\n");
        assertThat(PyYaml.dump(JSON.readTree("{\"b\":true,\"a\":\"x\"}"), true)).isEqualTo("{a: x, b: true}\n");
    }

    @Test
    void yaml_load_follows_yaml_1_1() {
        assertThat(PyYaml.load("a: on\nb: 010\nc: 1.5\nd: ~\ne: '10'").toString())
                .isEqualTo("{\"a\":true,\"b\":8,\"c\":1.5,\"d\":null,\"e\":\"10\"}");
        assertThatThrownBy(() -> PyYaml.load("a: [")).isInstanceOf(CtlException.class);
    }

    @Test
    void scheduled_times_without_offset_take_the_local_zone() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(PyTime.parseScheduled("now", paris)).isNull();
        assertThat(PyTime.parseScheduled(null, paris)).isNull();
        assertThat(PyTime.isoformat(PyTime.parseScheduled("2026-12-01T10:00", paris))).isEqualTo("2026-12-01T10:00:00+01:00");
        assertThat(PyTime.isoformat(PyTime.parseScheduled("2026-12-01 10:00:00.5Z", paris))).isEqualTo("2026-12-01T10:00:00.500000+00:00");
        assertThatThrownBy(() -> PyTime.parseScheduled("tomorrow", paris)).isInstanceOf(CtlException.class)
                .hasMessageContaining("Unable to parse scheduled timestamp (tomorrow)");
    }

    @Test
    void timestamps_print_five_fraction_digits_like_patronictl() {
        LocalDateTime t = LocalDateTime.of(2026, 11, 28, 1, 5, 38, 123_456_000);
        assertThat(PyTime.timestamp(t, true)).isEqualTo("2026-11-28 01:05:38.12345");
        assertThat(PyTime.timestamp(t, false)).isEqualTo("2026-11-28 01:05:38");
        assertThat(PyTime.isoformat(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC))).isEqualTo("2026-01-02T03:04:05+00:00");
    }

    @Test
    void postgres_versions_print_like_patronictl() {
        assertThat(VersionReport.pgVersion(150010)).isEqualTo("15.10");
        assertThat(VersionReport.pgVersion(90624)).isEqualTo("9.6.24");
    }
}
