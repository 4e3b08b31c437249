package io.pgha.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import org.junit.jupiter.api.Test;

class ServicesAndSecretsTest {

    @Test
    void roleServicesSelectTheLabelTheAgentSets() {
        ClusterModel m = Fixtures.defaults();
        Service primary = MemberServices.primary(m);
        Service replicas = MemberServices.replicas(m);

        Fixtures.assertOwnedAndLabelled(primary);
        assertThat(primary.getMetadata().getName()).isEqualTo("shop-primary");
        assertThat(primary.getSpec().getSelector()).containsEntry(PodContract.ROLE_LABEL, "primary")
                .containsEntry(Labels.INSTANCE, "shop");
        assertThat(replicas.getSpec().getSelector()).containsEntry(PodContract.ROLE_LABEL, "replica");
        assertThat(primary.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(5432, 6432);
    }

    @Test
    void theHeadlessServicePublishesMembersBeforeTheyAreReady() {
        Service h = MemberServices.headless(Fixtures.model("spec: {pooler: {enabled: false}}\n"));
        assertThat(h.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(h.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(h.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(5432, 8008);
    }

    @Test
    void userSecretsCarryAReadyMadeUriThroughHaproxy() {
        ClusterModel m = Fixtures.model("""
                spec:
                  databases: [{name: shop}]
                  users: [{name: shop_app, databases: [shop]}]
                """);
        Secret s = CredentialSecret.user(m, m.users().get(0), () -> "pw123");

        Fixtures.assertOwnedAndLabelled(s);
        assertThat(s.getMetadata().getName()).isEqualTo("shop-user-shop-app");
        assertThat(s.getStringData()).containsEntry("username", "shop_app").containsEntry("password", "pw123")
                .containsEntry("uri", "postgresql://shop_app:pw123@shop-haproxy.prod.svc:5432/shop");
    }

    @Test
    void withoutHaproxyTheUriGoesToThePrimaryServicesPooler() {
        ClusterModel m = Fixtures.model("spec: {loadBalancer: {enabled: false}}\n");
        assertThat(CredentialSecret.superuser(m, () -> "pw").getStringData().get("uri"))
                .isEqualTo("postgresql://postgres:pw@shop-primary.prod.svc:6432/postgres");
    }

    @Test
    void generatedPasswordsAreLongAndDistinct() {
        String a = CredentialSecret.newPassword();
        assertThat(a).hasSize(32).matches("[A-Za-z0-9]+");
        assertThat(CredentialSecret.newPassword()).isNotEqualTo(a);
    }

    @Test
    void pgbouncerGetsTheTunedPoolAndAUserlistSecret() {
        ClusterModel m = Fixtures.model("spec: {pooler: {poolMode: session, maxClientConn: 500, defaultPoolSize: 40, reservePoolSize: 7}}\n");
        String ini = PgbouncerConfigMap.build(m).getData().get(PgbouncerConfigMap.INI);
        assertThat(ini).contains("pool_mode = session", "max_client_conn = 500", "default_pool_size = 40",
                "reserve_pool_size = 7", "listen_port = 6432", "auth_file = /etc/pgbouncer-users/userlist.txt");
        Secret users = PgbouncerUserlistSecret.build(m, java.util.Map.of("postgres", "a\"b"));
        assertThat(new String(java.util.Base64.getDecoder().decode(users.getData().get("userlist.txt")))).isEqualTo("\"postgres\" \"a\"\"b\"\n");
    }
}
