package io.pgha.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pgha.contract.PodContract;
import org.junit.jupiter.api.Test;

class MemberStatefulSetTest {

    @Test
    void membersRollOnDeleteWithAnAgentAndAPgbouncerPerPod() {
        StatefulSet sts = MemberStatefulSet.build(Fixtures.defaults(), "abc");

        Fixtures.assertOwnedAndLabelled(sts);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("shop-members");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("postgres", "pgbouncer");
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(MemberStatefulSet.CONFIG_DIGEST, "abc");
        assertThat(sts.getMetadata().getAnnotations()).containsEntry("pgha.io/etcd-mode", "managed")
                .containsEntry("pgha.io/postgres-version", "16");
    }

    @Test
    void thePvcTemplateCarriesSizeClassAndTheRetentionPolicy() {
        StatefulSet sts = MemberStatefulSet.build(Fixtures.model(
                "spec: {storage: {size: 50Gi, storageClassName: fast}, deletion: {pvcRetention: Delete}}\n"), "x");

        var pvc = sts.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(pvc.getMetadata().getName()).isEqualTo("pgdata");
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("fast");
        assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
    }

    @Test
    void theAgentGetsItsIdentityAndPasswordsFromTheEnvironmentNotTheConfigMap() {
        Container agent = MemberStatefulSet.build(Fixtures.defaults(), "x").getSpec().getTemplate().getSpec()
                .getContainers().get(0);

        EnvVar name = env(agent, PodContract.ENV_NAME);
        assertThat(name.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env(agent, PodContract.ENV_POSTGRES_CONNECT).getValue())
                .isEqualTo("$(PATRONI_NAME).shop-members.prod.svc:5432");
        assertThat(env(agent, PodContract.ENV_SUPERUSER_PASSWORD).getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("shop-superuser");
        assertThat(env(agent, PodContract.ENV_REPLICATION_PASSWORD).getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("shop-replication");
        assertThat(env(agent, PodContract.ENV_RESTAPI_USERNAME).getValue()).isEqualTo("pgha");
        assertThat(env(agent, PodContract.ENV_RESTAPI_PASSWORD).getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("shop-restapi");
        assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readiness");
        assertThat(agent.getCommand()).containsExactly("pgha", "agent", "--config", "/etc/pgha/agent.yaml");
    }

    @Test
    void usersPasswordsAreProjectedWhereTheProvisionerReadsThem() {
        var pod = MemberStatefulSet.build(Fixtures.model("""
                spec:
                  databases: [{name: shop}]
                  users: [{name: shop_app, databases: [shop]}, {name: reporting}]
                """), "x").getSpec().getTemplate().getSpec();
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals("user-secrets")).findFirst().orElseThrow();
        assertThat(volume.getProjected().getSources()).extracting(s -> s.getSecret().getItems().get(0).getPath())
                .containsExactly("shop-user-shop-app/password", "shop-user-reporting/password");
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(vm -> {
            assertThat(vm.getName()).isEqualTo("user-secrets");
            assertThat(vm.getMountPath()).isEqualTo("/etc/pgha-users");
        });
        assertThat(MemberStatefulSet.build(Fixtures.defaults(), "x").getSpec().getTemplate().getSpec().getVolumes())
                .noneMatch(v -> v.getName().equals("user-secrets"));
    }

    @Test
    void withoutPoolerThereIsNoSidecar() {
        StatefulSet sts = MemberStatefulSet.build(Fixtures.model("spec: {pooler: {enabled: false}}\n"), "x");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("postgres");
    }

    @Test
    void membersPreferDistinctNodesUnlessTheUserGivesAnAffinity() {
        var spread = MemberStatefulSet.build(Fixtures.defaults(), "x").getSpec().getTemplate().getSpec().getAffinity();
        var term = spread.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0);
        assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                .containsEntry(Labels.COMPONENT, "database").containsEntry(Labels.INSTANCE, "shop");

        var own = MemberStatefulSet.build(Fixtures.model("""
                spec:
                  scheduling:
                    affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: In, values: [ssd]}]}]}}}
                    tolerations: [{key: db, operator: Exists}]
                """), "x").getSpec().getTemplate().getSpec();
        assertThat(own.getAffinity().getPodAntiAffinity()).isNull();
        assertThat(own.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(own.getTolerations()).hasSize(1);
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }
}
