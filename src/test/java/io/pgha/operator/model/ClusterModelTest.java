package io.pgha.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.api.v1.PvcRetention;
import io.pgha.api.v1.ReplicationMode;
import io.pgha.config.DcsTiming;
import org.junit.jupiter.api.Test;

class ClusterModelTest {

    static PostgresCluster parse(String yaml) {
        return Serialization.unmarshal("""
                apiVersion: pgha.io/v1
                kind: PostgresCluster
                metadata: {name: shop, namespace: prod, generation: 4}
                """ + yaml, PostgresCluster.class);
    }

    @Test
    void anEmptySpecGetsEveryDefault() {
        ClusterModel m = ClusterModel.from(parse("spec: {}\n"));

        assertThat(m.instances()).isEqualTo(3);
        assertThat(m.generation()).isEqualTo(4);
        assertThat(m.postgres().version()).isEqualTo(16);
        assertThat(m.storage().size()).isEqualTo("10Gi");
        assertThat(m.storage().hasStorageClass()).isFalse();
        assertThat(m.replication().mode()).isEqualTo(ReplicationMode.ASYNC);
        assertThat(m.timing()).isEqualTo(DcsTiming.PGHA_DEFAULT);
        assertThat(m.etcd().managed()).isTrue();
        assertThat(m.etcd().replicas()).isEqualTo(3);
        assertThat(m.pooler()).isEqualTo(new Settings.Pooler(true, "transaction", 10000, 25, 5));
        assertThat(m.loadBalancer()).isEqualTo(new Settings.LoadBalancer(true, 2, 5432, 5433, "ClusterIP"));
        assertThat(m.pvcRetention()).isEqualTo(PvcRetention.Retain);
        assertThat(m.scheduling().affinity()).isNull();
    }

    @Test
    void defaultsAreNotWrittenBackIntoTheSpec() {
        PostgresCluster pc = parse("spec: {}\n");
        ClusterModel.from(pc);
        assertThat(pc.getSpec().instances).isNull();
        assertThat(pc.getSpec().postgres).isNull();
    }

    @Test
    void managedEtcdEndpointsAreThePeersStableNames() {
        ClusterModel m = ClusterModel.from(parse("spec: {etcd: {managed: {replicas: 1}}}\n"));
        assertThat(m.etcdEndpoints()).containsExactly("shop-etcd-0.shop-etcd-peers.prod.svc:2379");
    }

    @Test
    void externalEtcdUsesTheGivenEndpoints() {
        ClusterModel m = ClusterModel.from(parse("spec: {etcd: {external: {endpoints: [\"etcd.infra:2379\"]}}}\n"));
        assertThat(m.etcd().managed()).isFalse();
        assertThat(m.etcdEndpoints()).containsExactly("etcd.infra:2379");
    }

    @Test
    void theTwoDatabaseLayoutIsExpressible() {
        ClusterModel m = ClusterModel.from(parse("""
                spec:
                  databases: [{name: shop, owner: shop_app}, {name: shared, owner: shared_owner}]
                  users:
                  - {name: shop_app, databases: [shop, shared]}
                  - {name: shared_owner, databases: [shared]}
                  extensions: [pg_stat_statements]
                """));
        assertThat(m.databases()).extracting(Settings.Database::name).containsExactly("shop", "shared");
        assertThat(m.users()).extracting(Settings.User::databases)
                .containsExactly(java.util.List.of("shop", "shared"), java.util.List.of("shared"));
        assertThat(m.names().userSecret("shop_app")).isEqualTo("shop-user-shop-app");
    }

    @Test
    void timingThatBreaksTheLeaseRuleNamesTheField() {
        assertThatThrownBy(() -> ClusterModel.from(parse("spec: {ha: {ttl: 5, loopWait: 2, retryTimeout: 2}}\n")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("spec.ha")
                .hasMessageContaining("loopWait + 2 x retryTimeout <= ttl");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidSpecException e = (InvalidSpecException) org.assertj.core.api.Assertions.catchThrowable(() ->
                ClusterModel.from(parse("""
                        spec:
                          instances: 2
                          replication: {mode: sync, syncStandbys: 2}
                          etcd: {managed: {}, external: {endpoints: ["e:2379"]}}
                          loadBalancer: {readWritePort: 6000, readOnlyPort: 6000}
                          databases: [{name: app, owner: nobody}]
                          users: [{name: postgres}, {name: app_user, databases: [missing], options: [CREATEDB, "CONNECTION LIMIT 5", "SUPERUSER; DROP"]}]
                          postgres: {parameters: {port: "5555"}}
                        """)));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("spec.replication.syncStandbys"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.etcd: give either"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.loadBalancer: readWritePort"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.databases[0].owner"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.users[0].name"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.users[1].databases"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.postgres.parameters.port"))
                .anySatisfy(p -> assertThat(p).startsWith("spec.users[1].options: 'SUPERUSER; DROP' is not a role option"))
                .hasSize(8);
    }

    @Test
    void badQuantitiesAndLongNamesAreRefused() {
        PostgresCluster pc = parse("spec: {storage: {size: lots}, etcd: {managed: {replicas: 2}}}\n");
        pc.getMetadata().setName("a".repeat(46));
        assertThatThrownBy(() -> ClusterModel.from(pc))
                .hasMessageContaining("metadata.name")
                .hasMessageContaining("spec.storage.size")
                .hasMessageContaining("spec.etcd.managed.replicas");
    }

    @Test
    void immutableChangesAreRefusedWithTheFieldName() {
        AppliedSettings applied = new AppliedSettings(16, "fast", "managed");

        assertThat(applied.refusedChanges(new AppliedSettings(16, "fast", "managed"))).isEmpty();
        assertThat(applied.refusedChanges(new AppliedSettings(15, "slow", "external")))
                .containsExactly("spec.postgres.version: cannot go down from 16 to 15",
                        "spec.storage.storageClassName: immutable (is fast, asked slow)",
                        "spec.etcd: the mode is immutable (is managed, asked external)");
    }

    @Test
    void appliedSettingsRoundTripThroughAnnotations() {
        AppliedSettings a = new AppliedSettings(15, null, "external");
        assertThat(AppliedSettings.fromAnnotations(a.toAnnotations())).isEqualTo(a);
        assertThat(AppliedSettings.fromAnnotations(java.util.Map.of())).isNull();
    }
}
