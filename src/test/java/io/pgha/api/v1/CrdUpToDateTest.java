package io.pgha.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRDs must be exactly what the crd-generator produced from api/v1 in this build. */
class CrdUpToDateTest {

    static final String GENERATED = "META-INF/fabric8/postgresclusters.pgha.io-v1.yml";

    static String generated() throws IOException {
        try (InputStream in = CrdUpToDateTest.class.getClassLoader().getResourceAsStream(GENERATED)) {
            assertThat(in).as("the crd-generator ran at process-classes").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void committedCrdEqualsTheGeneratedOne() throws IOException {
        String generated = generated();
        for (String committed : new String[] {"crd/postgresclusters.pgha.io-v1.yml",
                "helm/pgha-operator/crds/postgresclusters.pgha.io-v1.yml"}) {
            assertThat(Files.readString(Path.of(committed)))
                    .as(committed + " is stale: run scripts/sync-crd.sh").isEqualTo(generated);
        }
    }

    @Test
    void crdHasStatusAndScaleSubresourcesAndTheShortName() throws IOException {
        String crd = generated();
        assertThat(crd).contains("status: {}", "specReplicasPath: \".spec.instances\"",
                "statusReplicasPath: \".status.instances\"", "- \"pgc\"", "scope: \"Namespaced\"");
    }
}
