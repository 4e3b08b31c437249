package io.pgha.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgha.operator.model.ClusterModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest in examples/ must pass the committed CRD's schema (as the API server would check it) and the
 * model's own rules (as the operator would). CEL rules are not evaluated here; the model checks the same rules.
 */
class ExamplesValidateTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        JsonNode crd = YAML.readTree(Files.readString(Path.of("crd/postgresclusters.pgha.io-v1.yml")));
        JsonNode openApi = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
    }

    static Stream<Path> examples() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleMatchesTheCrdSchemaAndTheModel(Path file) throws IOException {
        String text = Files.readString(file);
        Set<ValidationMessage> errors = schema.validate(YAML.readTree(text));
        assertThat(errors).as(file + " against the CRD schema").isEmpty();

        PostgresCluster pc = Serialization.unmarshal(text, PostgresCluster.class);
        if (pc.getMetadata().getNamespace() == null) {
            pc.getMetadata().setNamespace("default");
        }
        assertThat(ClusterModel.from(pc).instances()).isBetween(1, 9);
    }

    @Test
    void theSchemaRejectsOutOfRangeValuesBadEnumsAndPatterns() throws IOException {
        Set<ValidationMessage> errors = schema.validate(YAML.readTree("""
                apiVersion: pgha.io/v1
                kind: PostgresCluster
                metadata: {name: x}
                spec:
                  instances: 12
                  replication: {mode: semi-sync}
                  storage: {size: lots}
                  databases: [{name: Bad-Name}]
                  etcd: {external: {tlsSecret: s}}
                """));
        assertThat(errors).extracting(ValidationMessage::getMessage).anySatisfy(m -> assertThat(m).contains("instances"))
                .anySatisfy(m -> assertThat(m).contains("mode"))
                .anySatisfy(m -> assertThat(m).contains("size"))
                .anySatisfy(m -> assertThat(m).contains("name"))
                .anySatisfy(m -> assertThat(m).contains("endpoints"));
    }
}
