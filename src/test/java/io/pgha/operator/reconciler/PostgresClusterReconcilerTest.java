package io.pgha.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.pgha.api.v1.Phase;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.operator.dependent.ReplaceWriter;
import io.pgha.operator.resources.Labels;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against fabric8's mock API server in CRUD mode, one reconciliation at a time so that every
 * step is deterministic. The mock has no controllers: the tests play the StatefulSet controller (pod counts)
 * and the agents (member reports).
 */
@EnableKubernetesMockClient(crud = true)
class PostgresClusterReconcilerTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    final FakeAgents agents = new FakeAgents();
    final PostgresClusterReconciler reconciler = new PostgresClusterReconciler(new ReplaceWriter(), agents,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), new io.pgha.operator.reconciler.OperatorMetrics());
    String ns;

    @BeforeAll
    static void installCrd() {
        io.pgha.operator.MockServerLogs.quiet();
        client.resource(Serialization.unmarshal(PostgresClusterReconcilerTest.class.getClassLoader()
                .getResourceAsStream("META-INF/fabric8/postgresclusters.pgha.io-v1.yml"), CustomResourceDefinition.class))
                .create();
    }

    private static int namespaces;

    @BeforeEach
    void namespace() {
        ns = "test-" + (++namespaces);
    }

    @Test
    void createProducesEveryObjectOwnedAndLabelled() {
        create("shop", "spec: {users: [{name: app}], databases: [{name: app, owner: app}]}\n");

        UpdateControl<PostgresCluster> uc = reconcile("shop");

        List<HasMetadata> produced = new ArrayList<>();
        produced.add(get(StatefulSet.class, "shop"));
        produced.add(get(StatefulSet.class, "shop-etcd"));
        for (String s : List.of("shop-members", "shop-primary", "shop-replicas", "shop-haproxy", "shop-etcd", "shop-etcd-peers")) {
            produced.add(get(Service.class, s));
        }
        for (String c : List.of("shop-agent", "shop-pgbouncer", "shop-haproxy")) {
            produced.add(get(ConfigMap.class, c));
        }
        for (String s : List.of("shop-superuser", "shop-replication", "shop-restapi", "shop-user-app", "shop-pgbouncer-users")) {
            produced.add(get(Secret.class, s));
        }
        for (String p : List.of("shop", "shop-etcd", "shop-haproxy")) {
            produced.add(get(PodDisruptionBudget.class, p));
        }
        produced.add(get(Deployment.class, "shop-haproxy"));
        produced.add(get(ServiceAccount.class, "shop-agent"));
        produced.add(get(Role.class, "shop-agent"));
        produced.add(get(RoleBinding.class, "shop-agent"));

        String uid = cluster("shop").getMetadata().getUid();
        assertThat(produced).allSatisfy(o -> {
            assertThat(o).as("every produced object exists").isNotNull();
            assertThat(o.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(r -> assertThat(r.getUid()).isEqualTo(uid));
            assertThat(o.getMetadata().getLabels()).containsEntry(Labels.INSTANCE, "shop")
                    .containsEntry(Labels.MANAGED_BY, "pgha-operator");
        });
        assertThat(uc.isPatchStatus()).isTrue();
        var status = cluster("shop").getStatus();
        assertThat(status.phase).isEqualTo(Phase.Creating);
        assertThat(status.observedGeneration).isEqualTo(cluster("shop").getMetadata().getGeneration());
        assertThat(status.conditions).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly("Ready=False", "Available=False", "Progressing=True", "Degraded=False");
    }

    @Test
    void aHealthyClusterIsRunningAndAnUnchangedOneCausesNoWrites() throws Exception {
        create("shop", "spec: {}\n");
        reconcile("shop");
        podsReady("shop", 3);
        agents.healthy("shop", 3, 0);
        reconcile("shop");
        var status = cluster("shop").getStatus();
        assertThat(status.phase).isEqualTo(Phase.Running);
        assertThat(status.primary).isEqualTo("shop-0");
        assertThat(status.timeline).isEqualTo(2L);
        assertThat(status.readyInstances).isEqualTo(3);
        assertThat(status.members).hasSize(3);

        drainRequests();
        var stored = cluster("shop").getStatus();
        UpdateControl<PostgresCluster> again = reconcile("shop");

        assertThat(again.isNoUpdate()).as(() -> "stored:\n" + Serialization.asYaml(stored) + "computed:\n"
                + Serialization.asYaml(again.getResource().map(PostgresCluster::getStatus).orElse(null))).isTrue();
        assertThat(drainRequests()).as("writes after nothing changed")
                .noneMatch(r -> !r.getMethod().equals("GET"));
    }

    @Test
    void scalingUpAndDownNeverRemovesThePrimary() {
        create("shop", "spec: {instances: 3}\n");
        reconcile("shop");
        scale("shop", 5);
        reconcile("shop");
        assertThat(get(StatefulSet.class, "shop").getSpec().getReplicas()).isEqualTo(5);
        assertThat(get(ConfigMap.class, "shop-haproxy").getData().get("haproxy.cfg")).contains("server shop-4 ");
        podsReady("shop", 5);
        agents.healthy("shop", 5, 4);

        scale("shop", 3);
        reconcile("shop");

        assertThat(get(StatefulSet.class, "shop").getSpec().getReplicas()).as("held while shop-4 is primary").isEqualTo(5);
        assertThat(agents.switchovers).singleElement().asString()
                .isEqualTo("shop-4->shop-0@shop-4.shop-members." + ns + ".svc as pgha");
        assertThat(cluster("shop").getStatus().phase).isEqualTo(Phase.Updating);

        agents.healthy("shop", 5, 0);
        reconcile("shop");
        assertThat(get(StatefulSet.class, "shop").getSpec().getReplicas()).isEqualTo(3);
        assertThat(agents.switchovers).hasSize(1);
        assertThat(client.v1().events().inNamespace(ns).list().getItems()).extracting(e -> e.getReason())
                .contains("PrimaryChanged");
    }

    @Test
    void aConfigurationChangeIsAPodTemplateChangeThatWaitsForTheRollingUpdate() {
        create("shop", "spec: {}\n");
        reconcile("shop");
        String digest = get(StatefulSet.class, "shop").getSpec().getTemplate().getMetadata().getAnnotations()
                .get("pgha.io/config-digest");

        edit("shop", pc -> pc.getSpec().pooler = new io.pgha.api.v1.PoolerSpec());
        edit("shop", pc -> pc.getSpec().pooler.defaultPoolSize = 60);
        reconcile("shop");

        StatefulSet sts = get(StatefulSet.class, "shop");
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations().get("pgha.io/config-digest"))
                .isNotEqualTo(digest);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).as("pods change only when the operator rolls them")
                .isEqualTo("OnDelete");
        assertThat(get(ConfigMap.class, "shop-pgbouncer").getData().get("pgbouncer.ini")).contains("default_pool_size = 60");
    }

    @Test
    void externalEtcdRunsNoEtcdAndTheModeCannotChange() {
        create("ext", "spec: {etcd: {external: {endpoints: [\"etcd.infra.svc:2379\"]}}}\n");
        reconcile("ext");
        assertThat(get(StatefulSet.class, "ext-etcd")).isNull();
        assertThat(get(Service.class, "ext-etcd")).isNull();
        assertThat(get(ConfigMap.class, "ext-agent").getData().get("agent.yaml")).contains("hosts: etcd.infra.svc:2379");

        edit("ext", pc -> pc.getSpec().etcd = new io.pgha.api.v1.EtcdSpec());
        reconcile("ext");

        assertThat(cluster("ext").getStatus().message).contains("spec.etcd: the mode is immutable (is external, asked managed)");
        assertThat(get(StatefulSet.class, "ext-etcd")).isNull();
    }

    @Test
    void anInvalidSpecIsReportedAndNothingIsCreated() {
        create("bad", "spec: {instances: 1, replication: {mode: sync}, ha: {ttl: 5, loopWait: 3, retryTimeout: 2}}\n");

        reconcile("bad");

        var status = cluster("bad").getStatus();
        assertThat(status.phase).isEqualTo(Phase.Invalid);
        assertThat(status.conditions).filteredOn(c -> c.getType().equals("Ready")).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).contains("spec.ha", "spec.replication.syncStandbys");
        });
        assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.secrets().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.services().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .extracting(e -> e.getType() + " " + e.getReason()).containsExactly("Warning InvalidSpec");
    }

    @Test
    void anImmutableChangeIsRefusedAndChangesNothing() {
        create("shop", "spec: {storage: {storageClassName: fast}}\n");
        reconcile("shop");
        String before = get(StatefulSet.class, "shop").getMetadata().getResourceVersion();

        edit("shop", pc -> {
            pc.getSpec().storage.storageClassName = "slow";
            pc.getSpec().instances = 5;
        });
        reconcile("shop");

        assertThat(cluster("shop").getStatus().phase).isEqualTo(Phase.Invalid);
        assertThat(cluster("shop").getStatus().message).contains("spec.storage.storageClassName: immutable");
        assertThat(get(StatefulSet.class, "shop").getMetadata().getResourceVersion()).isEqualTo(before);
    }

    @Test
    void growingStoragePatchesTheClaimsAndPasswordsAreNeverRegenerated() {
        create("shop", "spec: {storage: {size: 10Gi}}\n");
        reconcile("shop");
        claim("pgdata-shop-0", "10Gi");
        claim("pgdata-shop-1", "10Gi");
        String password = get(Secret.class, "shop-superuser").getStringData().get("password");

        edit("shop", pc -> pc.getSpec().storage.size = "20Gi");
        reconcile("shop");

        assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems())
                .extracting(c -> c.getSpec().getResources().getRequests().get("storage"))
                .containsOnly(new Quantity("20Gi"));
        assertThat(get(Secret.class, "shop-superuser").getStringData().get("password")).isEqualTo(password);
        assertThat(get(StatefulSet.class, "shop").getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources()
                .getRequests().get("storage")).as("the template is immutable").isEqualTo(new Quantity("10Gi"));
    }

    @Test
    void turningHaproxyOffRemovesItAndTheUriFollows() {
        create("shop", "spec: {}\n");
        reconcile("shop");
        edit("shop", pc -> pc.getSpec().loadBalancer = new io.pgha.api.v1.LoadBalancerSpec());
        edit("shop", pc -> pc.getSpec().loadBalancer.enabled = false);

        reconcile("shop");

        assertThat(get(Deployment.class, "shop-haproxy")).isNull();
        assertThat(get(Service.class, "shop-haproxy")).isNull();
        assertThat(get(ConfigMap.class, "shop-haproxy")).isNull();
    }

    @Test
    void deletionKeepsVolumesUnlessTheSpecSaysDelete() {
        create("keep", "spec: {}\n");
        create("drop", "spec: {deletion: {pvcRetention: Delete}}\n");
        claim("pgdata-keep-0", "1Gi", "keep");
        claim("pgdata-drop-0", "1Gi", "drop");

        reconciler.cleanup(cluster("keep"), client);
        reconciler.cleanup(cluster("drop"), client);

        assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems())
                .extracting(c -> c.getMetadata().getName()).containsExactly("pgdata-keep-0");
    }

    @Test
    void aNewTemplateRollsStandbysFirstThenSwitchesOverThenReplacesTheOldPrimary() {
        create("roll", "spec: {}\n");
        reconcile("roll");
        agents.healthy("roll", 3, 0);
        // the StatefulSet controller has a new revision r2; all three pods still run r1
        StatefulSet sts = get(StatefulSet.class, "roll");
        sts.setStatus(new StatefulSetStatusBuilder().withReplicas(3).withReadyReplicas(3).withUpdatedReplicas(0)
                .withCurrentRevision("r1").withUpdateRevision("r2").build());
        client.resource(sts).updateStatus();
        for (int i = 0; i < 3; i++) {
            pod("roll", i, "r1", true);
        }

        reconcile("roll");
        assertThat(get(io.fabric8.kubernetes.api.model.Pod.class, "roll-2")).as("highest standby replaced first").isNull();
        assertThat(cluster("roll").getStatus().message).contains("rolling update");

        // while the recreated pod is not ready yet, nothing else moves
        pod("roll", 2, "r2", false);
        reconcile("roll");
        assertThat(get(io.fabric8.kubernetes.api.model.Pod.class, "roll-1")).isNotNull();

        pod("roll", 2, "r2", true);
        reconcile("roll");
        assertThat(get(io.fabric8.kubernetes.api.model.Pod.class, "roll-1")).isNull();
        pod("roll", 1, "r2", true);

        // only the primary is left on r1: a switchover to an up-to-date standby, never a deletion of the primary
        reconcile("roll");
        assertThat(get(io.fabric8.kubernetes.api.model.Pod.class, "roll-0")).isNotNull();
        assertThat(agents.switchovers).singleElement().satisfies(sw -> assertThat(sw).startsWith("roll-0->roll-"));

        // the agents report the new primary: the old one is now an outdated standby and goes
        agents.healthy("roll", 3, 1);
        reconcile("roll");
        assertThat(get(io.fabric8.kubernetes.api.model.Pod.class, "roll-0")).isNull();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Plays the StatefulSet controller for one member pod: its template revision and readiness. */
    private void pod(String cluster, int ordinal, String revision, boolean ready) {
        StatefulSet sts = get(StatefulSet.class, cluster);
        io.fabric8.kubernetes.api.model.Pod p = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(cluster + "-" + ordinal).withNamespace(ns)
                .withLabels(sts.getSpec().getSelector().getMatchLabels()).addToLabels("controller-revision-hash", revision)
                .endMetadata().withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus().build();
        client.resource(p).createOr(existing -> existing.update());
    }

    private void create(String name, String specYaml) {
        PostgresCluster pc = Serialization.unmarshal("apiVersion: pgha.io/v1\nkind: PostgresCluster\nmetadata: {name: "
                + name + ", namespace: " + ns + "}\n" + specYaml, PostgresCluster.class);
        client.resource(pc).create();
    }

    private PostgresCluster cluster(String name) {
        return client.resources(PostgresCluster.class).inNamespace(ns).withName(name).get();
    }

    /** One reconciliation, with the status write JOSDK would do for a patchStatus answer. */
    private UpdateControl<PostgresCluster> reconcile(String name) {
        UpdateControl<PostgresCluster> uc = reconciler.reconcile(cluster(name), client);
        if (uc.isPatchStatus()) {
            // a PUT to /status: the mock's merge patch keeps stale list items, a real server's would not
            client.resource(uc.getResource().orElseThrow()).updateStatus();
        }
        return uc;
    }

    @Test
    void aReplicationModeChangeReachesTheRunningClusterByPatchNotByARollingRestart() throws Exception {
        create("pay", "spec: {}\n");
        reconcile("pay");
        podsReady("pay", 3);
        agents.healthy("pay", 3, 1);
        agents.config = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"ttl\":6,\"loop_wait\":1,\"retry_timeout\":2,\"maximum_lag_on_failover\":1048576}");
        reconcile("pay");
        assertThat(agents.configPatches).as("an asynchronous cluster that matches its spec is left alone").isEmpty();
        String digest = get(StatefulSet.class, "pay").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(io.pgha.operator.resources.MemberStatefulSet.CONFIG_DIGEST);

        edit("pay", pc -> pc.getSpec().replication = Serialization.unmarshal("{\"mode\":\"strict-sync\"}",
                io.pgha.api.v1.ReplicationSpec.class));
        reconcile("pay");
        assertThat(agents.configPatches).singleElement().asString()
                .contains("\"synchronous_mode\":true", "\"synchronous_mode_strict\":true")
                .doesNotContain("ttl")
                .contains("@pay-1.").endsWith(" as pgha");
        assertThat(get(StatefulSet.class, "pay").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(io.pgha.operator.resources.MemberStatefulSet.CONFIG_DIGEST)).as("no rolling restart for a dynamic setting").isEqualTo(digest);
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .anyMatch(e -> "ConfigChanged".equals(e.getReason()) && e.getMessage().contains("synchronous_mode=true"));

        reconcile("pay");
        assertThat(agents.configPatches).as("applied once").hasSize(1);
    }

    private void edit(String name, java.util.function.Consumer<PostgresCluster> change) {
        client.resources(PostgresCluster.class).inNamespace(ns).withName(name).edit(pc -> {
            change.accept(pc);
            return pc;
        });
    }

    private void scale(String name, int instances) {
        edit(name, pc -> pc.getSpec().instances = instances);
    }

    /** Plays the StatefulSet controller: all pods exist, are ready and run the current template. */
    private void podsReady(String name, int n) {
        StatefulSet sts = get(StatefulSet.class, name);
        sts.setStatus(new StatefulSetStatusBuilder().withReplicas(n).withReadyReplicas(n).withUpdatedReplicas(n)
                .withCurrentRevision("r1").withUpdateRevision("r1").build());
        client.resource(sts).updateStatus();
    }

    private void claim(String name, String size) {
        claim(name, size, "shop");
    }

    private void claim(String name, String size, String cluster) {
        PersistentVolumeClaim pvc = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(Map.of(Labels.NAME, "pgha", Labels.INSTANCE, cluster, Labels.COMPONENT, "database",
                        "pgha.io/cluster", cluster, Labels.MANAGED_BY, Labels.MANAGER)).endMetadata()
                .withNewSpec().withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .build();
        client.resource(pvc).create();
    }

    private <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(ns).withName(name).get();
    }

    private static List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }
}
