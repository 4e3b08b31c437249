package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.operator.model.ClusterModel;

/** Test models built from short YAML specs, as a user would write them. */
final class Fixtures {

    private Fixtures() {}

    static ClusterModel model(String specYaml) {
        PostgresCluster pc = Serialization.unmarshal("""
                apiVersion: pgha.io/v1
                kind: PostgresCluster
                metadata: {name: shop, namespace: prod, uid: 1234-abcd, generation: 1}
                """ + specYaml, PostgresCluster.class);
        return ClusterModel.from(pc);
    }

    static ClusterModel defaults() {
        return model("spec: {}\n");
    }

    /** Every built object must be owned by the cluster and carry the standard labels. */
    static void assertOwnedAndLabelled(HasMetadata o) {
        var meta = o.getMetadata();
        org.assertj.core.api.Assertions.assertThat(meta.getNamespace()).isEqualTo("prod");
        org.assertj.core.api.Assertions.assertThat(meta.getOwnerReferences()).singleElement()
                .satisfies(r -> {
                    org.assertj.core.api.Assertions.assertThat(r.getUid()).isEqualTo("1234-abcd");
                    org.assertj.core.api.Assertions.assertThat(r.getKind()).isEqualTo("PostgresCluster");
                    org.assertj.core.api.Assertions.assertThat(r.getController()).isTrue();
                });
        org.assertj.core.api.Assertions.assertThat(meta.getLabels())
                .containsEntry(Labels.NAME, "pgha").containsEntry(Labels.INSTANCE, "shop")
                .containsEntry(Labels.MANAGED_BY, "pgha-operator").containsKey(Labels.COMPONENT);
    }
}
