package io.pgha.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.operator.model.ClusterModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Renders every object the operator would create for the example manifests into target/rendered/, where
 * scripts/check-helm.sh validates them against Kubernetes' own schemas (kubernetes-models, offline).
 */
class RenderedManifestsTest {

    @Test
    void everyExampleRendersToObjectsWithUniqueNames() throws Exception {
        Path out = Files.createDirectories(Path.of("target/rendered"));
        for (String example : List.of("minimal", "production", "external-etcd", "pooler-tuning", "two-databases")) {
            PostgresCluster pc = Serialization.unmarshal(Files.readString(Path.of("examples/" + example + ".yaml")),
                    PostgresCluster.class);
            pc.getMetadata().setNamespace(pc.getMetadata().getNamespace() == null ? "default" : pc.getMetadata().getNamespace());
            pc.getMetadata().setUid("00000000-0000-0000-0000-000000000001");
            List<HasMetadata> objects = all(ClusterModel.from(pc));

            assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).doesNotHaveDuplicates();
            assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).hasSizeLessThanOrEqualTo(63));
            StringBuilder yaml = new StringBuilder();
            objects.forEach(o -> yaml.append(Serialization.asYaml(o)));
            Files.writeString(out.resolve(example + ".yaml"), yaml);
        }
    }

    static List<HasMetadata> all(ClusterModel m) {
        List<HasMetadata> o = new ArrayList<>(List.of(
                AgentRbac.serviceAccount(m), AgentRbac.role(m), AgentRbac.roleBinding(m),
                CredentialSecret.superuser(m, () -> "x"), CredentialSecret.replication(m, () -> "x"),
                CredentialSecret.restApi(m, () -> "x"),
                AgentConfigMap.build(m), MemberStatefulSet.build(m, "digest"), MemberServices.headless(m),
                MemberServices.primary(m), MemberServices.replicas(m), DisruptionBudgets.members(m)));
        m.users().forEach(u -> o.add(CredentialSecret.user(m, u, () -> "x")));
        if (m.pooler().enabled()) {
            o.add(PgbouncerConfigMap.build(m));
            o.add(PgbouncerUserlistSecret.build(m, Map.of("postgres", "x")));
        }
        if (m.etcd().managed()) {
            o.addAll(List.of(Etcd.statefulSet(m), Etcd.headless(m), Etcd.client(m), DisruptionBudgets.etcd(m)));
        }
        if (m.loadBalancer().enabled()) {
            o.addAll(List.of(Haproxy.configMap(m), Haproxy.deployment(m, "digest"), Haproxy.service(m),
                    DisruptionBudgets.haproxy(m)));
        }
        return o;
    }
}
