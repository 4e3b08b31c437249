package io.pgha.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatronictlConfigRendererTest {

    private final String rendered = new PatronictlConfigRenderer()
            .render("pgha-local", "/service/", List.of("127.0.0.1:16011", "127.0.0.1:16012", "127.0.0.1:16013"));

    @Test
    void renders_as_the_golden_patronictl_yaml() {
        Golden.assertMatches("patronictl.yaml", rendered);
    }

    @Test
    void patronictl_finds_scope_namespace_and_the_etcd3_hosts_as_one_string() throws Exception {
        JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(rendered);

        assertThat(y.path("scope").asText()).isEqualTo("pgha-local");
        assertThat(y.path("namespace").asText()).isEqualTo("/service/");
        assertThat(y.at("/etcd3/hosts").asText()).isEqualTo("127.0.0.1:16011,127.0.0.1:16012,127.0.0.1:16013");
    }
}
