package io.pgha.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgha.config.Credentials;
import io.pgha.contract.PodContract;
import io.pgha.operator.dependent.ObjectLookup;
import io.pgha.operator.dependent.ResourceWriter;
import io.pgha.operator.model.ClusterModel;
import io.pgha.operator.resources.AgentConfigMap;
import io.pgha.operator.resources.AgentRbac;
import io.pgha.operator.resources.ConfigDigest;
import io.pgha.operator.resources.CredentialSecret;
import io.pgha.operator.resources.DisruptionBudgets;
import io.pgha.operator.resources.Etcd;
import io.pgha.operator.resources.Haproxy;
import io.pgha.operator.resources.Labels;
import io.pgha.operator.resources.MemberServices;
import io.pgha.operator.resources.MemberStatefulSet;
import io.pgha.operator.resources.PgbouncerConfigMap;
import io.pgha.operator.resources.PgbouncerUserlistSecret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reconciler's named steps, each one component: build the desired objects, write them, nothing more. */
final class ClusterSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSteps.class);

    private final KubernetesClient client;
    private final ObjectLookup lookup;
    private final ResourceWriter writer;
    private final AgentClient agents;
    private final ClusterModel m;

    ClusterSteps(KubernetesClient client, ObjectLookup lookup, ResourceWriter writer, AgentClient agents, ClusterModel m) {
        this.client = client;
        this.lookup = lookup;
        this.writer = writer;
        this.agents = agents;
        this.m = m;
    }

    /** Passwords are generated once: an existing Secret is never touched, PostgreSQL already holds its hash. */
    void ensureCredentials() {
        writer.createIfAbsent(client, lookup, CredentialSecret.superuser(m, CredentialSecret::newPassword));
        writer.createIfAbsent(client, lookup, CredentialSecret.replication(m, CredentialSecret::newPassword));
        writer.createIfAbsent(client, lookup, CredentialSecret.restApi(m, CredentialSecret::newPassword));
        m.users().forEach(u -> writer.createIfAbsent(client, lookup, CredentialSecret.user(m, u, CredentialSecret::newPassword)));
    }

    void applyAgentAccess() {
        writer.apply(client, lookup, AgentRbac.serviceAccount(m));
        writer.apply(client, lookup, AgentRbac.role(m));
        writer.apply(client, lookup, AgentRbac.roleBinding(m));
    }

    void applyEtcd() {
        if (m.etcd().managed()) {
            writer.apply(client, lookup, Etcd.headless(m));
            writer.apply(client, lookup, Etcd.client(m));
            writer.apply(client, lookup, Etcd.statefulSet(m));
            writer.apply(client, lookup, DisruptionBudgets.etcd(m));
        }
    }

    /** @return the digest of the configuration the member pods read at start */
    String applyMemberConfig() {
        ConfigMap agent = AgentConfigMap.build(m);
        writer.apply(client, lookup, agent);
        if (!m.pooler().enabled()) {
            writer.delete(client, lookup, ConfigMap.class, m.namespace(), m.names().pgbouncerConfig());
            writer.delete(client, lookup, Secret.class, m.namespace(), m.names().pgbouncerUserlist());
            return ConfigDigest.of(agent);
        }
        ConfigMap pgbouncer = PgbouncerConfigMap.build(m);
        writer.apply(client, lookup, pgbouncer);
        writer.apply(client, lookup, PgbouncerUserlistSecret.build(m, poolerPasswords()));
        return ConfigDigest.of(agent, pgbouncer);
    }

    /**
     * The member StatefulSet and its Services. Scaling down never removes the primary: while it sits on an
     * ordinal that would go, the replica count is held and the primary's agent is asked to switch over.
     *
     * @return what the step is waiting for, if anything
     */
    Optional<String> applyMembers(String configDigest, StatefulSet existing, ClusterFacts facts) {
        writer.apply(client, lookup, MemberServices.headless(m));
        writer.apply(client, lookup, MemberServices.primary(m));
        writer.apply(client, lookup, MemberServices.replicas(m));
        StatefulSet desired = MemberStatefulSet.build(m, configDigest);
        Optional<String> waiting = Optional.empty();
        if (existing != null) {
            // volume claim templates are immutable; larger volumes are handled by growVolumes
            desired.getSpec().setVolumeClaimTemplates(existing.getSpec().getVolumeClaimTemplates());
            waiting = holdScaleDownForPrimary(facts);
            if (waiting.isPresent()) {
                desired.getSpec().setReplicas(facts.currentReplicas());
            }
        }
        writer.apply(client, lookup, desired);
        writer.apply(client, lookup, DisruptionBudgets.members(m));
        return waiting;
    }

    /**
     * One step of rolling a changed pod template through the members ({@link RollingUpdatePlanner}): delete one
     * outdated standby, or ask for a switchover, or wait. Returns what the rollout waits for, if anything.
     */
    Optional<String> rollMembers(StatefulSet members, ClusterFacts facts) {
        if (members == null || members.getStatus() == null || members.getStatus().getUpdateRevision() == null) {
            return Optional.empty();
        }
        String revision = members.getStatus().getUpdateRevision();
        java.util.List<RollingUpdatePlanner.PodView> pods = client.pods().inNamespace(m.namespace())
                .withLabels(members.getSpec().getSelector().getMatchLabels()).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(m.names().members() + "-"))
                .map(p -> new RollingUpdatePlanner.PodView(p.getMetadata().getName(), ordinal(p.getMetadata().getName()),
                        revision.equals(p.getMetadata().getLabels().get("controller-revision-hash")), ready(p)))
                .toList();
        if (pods.isEmpty()) {
            return Optional.empty();
        }
        RollingUpdatePlanner.Step step = RollingUpdatePlanner.next(pods, facts.members(), m.replication().maximumLagOnFailover());
        if (step instanceof RollingUpdatePlanner.DeletePod d) {
            LOG.info("{}/{}: rolling update: deleting pod {} ({})", m.namespace(), m.name(), d.pod(), d.reason());
            client.pods().inNamespace(m.namespace()).withName(d.pod()).delete();
            return Optional.of("rolling update: replacing " + d.pod());
        }
        if (step instanceof RollingUpdatePlanner.Switchover sw) {
            Credentials login = password(m.names().restApiSecret())
                    .map(p -> new Credentials(CredentialSecret.REST_API_USER, p)).orElse(null);
            boolean accepted = agents.switchover(m.names().memberHost(ordinal(sw.leader())), PodContract.REST_PORT, login,
                    sw.leader(), sw.candidate());
            LOG.info("{}/{}: rolling update: switchover from {} to {} {}", m.namespace(), m.name(), sw.leader(), sw.candidate(),
                    accepted ? "accepted" : "refused");
            return Optional.of("rolling update: switching over from " + sw.leader() + " to " + sw.candidate());
        }
        if (step instanceof RollingUpdatePlanner.Wait w) {
            return Optional.of("rolling update waits: " + w.reason());
        }
        return Optional.empty();
    }

    private static boolean ready(io.fabric8.kubernetes.api.model.Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private Optional<String> holdScaleDownForPrimary(ClusterFacts facts) {
        if (facts.currentReplicas() <= m.instances()) {
            return Optional.empty();
        }
        if (!facts.agentsAnswered()) {
            return Optional.of("not scaling down while no agent reports which member is the primary");
        }
        var primary = facts.primary();
        if (primary.isEmpty() || ordinal(primary.get().name()) < m.instances()) {
            return Optional.empty();
        }
        var candidate = facts.members().stream()
                .filter(r -> r.isHealthyStandby() && ordinal(r.name()) < m.instances())
                .min(Comparator.comparing(AgentClient.MemberReport::lagBytes));
        if (candidate.isEmpty()) {
            return Optional.of("scaling down waits: primary " + primary.get().name() + " would be removed and no healthy standby may take over");
        }
        String leader = primary.get().name();
        Credentials login = password(m.names().restApiSecret())
                .map(p -> new Credentials(CredentialSecret.REST_API_USER, p)).orElse(null);
        boolean accepted = agents.switchover(m.names().memberHost(ordinal(leader)), PodContract.REST_PORT, login,
                leader, candidate.get().name());
        LOG.info("{}/{}: scaling down needs {} gone; switchover to {} {}", m.namespace(), m.name(), leader,
                candidate.get().name(), accepted ? "accepted" : "refused");
        return Optional.of("switching over from " + leader + " to " + candidate.get().name() + " before scaling down");
    }

    /**
     * Brings the cluster's dynamic configuration (timing, lag limit, synchronous replication) to the spec
     * through the primary's agent: PATCH /config with only what differs. Returns the keys changed, if any.
     */
    java.util.List<String> applyDynamicConfig(ClusterFacts facts) {
        var primary = facts.primary();
        if (primary.isEmpty()) {
            return java.util.List.of();
        }
        String host = m.names().memberHost(ordinal(primary.get().name()));
        var actual = agents.config(host, PodContract.REST_PORT);
        if (actual.isEmpty()) {
            return java.util.List.of();
        }
        var patch = DynamicConfigDiff.of(AgentConfigMap.dynamicConfig(m), actual.get());
        if (patch.isEmpty()) {
            return java.util.List.of();
        }
        Credentials login = password(m.names().restApiSecret())
                .map(p -> new Credentials(CredentialSecret.REST_API_USER, p)).orElse(null);
        boolean accepted = agents.patchConfig(host, PodContract.REST_PORT, login, patch);
        LOG.info("{}/{}: dynamic configuration {} {}", m.namespace(), m.name(), patch, accepted ? "applied" : "refused");
        if (!accepted) {
            return java.util.List.of();
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        patch.fieldNames().forEachRemaining(k -> keys.add(k + "=" + patch.get(k)));
        return keys;
    }

    /** Growing storage.size patches each member's claim; shrinking is not possible and is left alone. */
    void growVolumes() {
        Quantity wanted = new Quantity(m.storage().size());
        for (PersistentVolumeClaim pvc : client.persistentVolumeClaims().inNamespace(m.namespace())
                .withLabels(Labels.selector(m, Labels.DATABASE)).list().getItems()) {
            Quantity current = pvc.getSpec().getResources().getRequests().get("storage");
            if (current == null || Quantity.getAmountInBytes(current).compareTo(Quantity.getAmountInBytes(wanted)) < 0) {
                LOG.info("{}/{}: growing {} to {}", m.namespace(), m.name(), pvc.getMetadata().getName(), wanted);
                client.persistentVolumeClaims().inNamespace(m.namespace()).withName(pvc.getMetadata().getName())
                        .edit(p -> {
                            p.getSpec().getResources().getRequests().put("storage", wanted);
                            return p;
                        });
            }
        }
    }

    void applyLoadBalancer() {
        if (!m.loadBalancer().enabled()) {
            writer.delete(client, lookup, Deployment.class, m.namespace(), m.names().haproxy());
            writer.delete(client, lookup, Service.class, m.namespace(), m.names().haproxy());
            writer.delete(client, lookup, ConfigMap.class, m.namespace(), m.names().haproxy());
            writer.delete(client, lookup, PodDisruptionBudget.class, m.namespace(), m.names().haproxy());
            return;
        }
        ConfigMap config = Haproxy.configMap(m);
        writer.apply(client, lookup, config);
        writer.apply(client, lookup, Haproxy.deployment(m, ConfigDigest.of(config)));
        writer.apply(client, lookup, Haproxy.service(m));
        writer.apply(client, lookup, DisruptionBudgets.haproxy(m));
    }

    /** PgBouncer logs in to PostgreSQL on the clients' behalf, so it needs the current passwords of every login. */
    private Map<String, String> poolerPasswords() {
        Map<String, String> out = new TreeMap<>();
        password(m.names().superuserSecret()).ifPresent(p -> out.put(AgentConfigMap.SUPERUSER, p));
        m.users().forEach(u -> password(m.names().userSecret(u.name())).ifPresent(p -> out.put(u.name(), p)));
        return out;
    }

    private Optional<String> password(String secretName) {
        Secret s = lookup.get(Secret.class, m.namespace(), secretName);
        if (s == null) {
            return Optional.empty();
        }
        if (s.getData() != null && s.getData().containsKey(CredentialSecret.PASSWORD)) {
            return Optional.of(new String(Base64.getDecoder().decode(s.getData().get(CredentialSecret.PASSWORD)),
                    StandardCharsets.UTF_8));
        }
        // an API server converts stringData into data; fabric8's mock server keeps it as written
        return Optional.ofNullable(s.getStringData()).map(d -> d.get(CredentialSecret.PASSWORD));
    }

    static int ordinal(String podName) {
        return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
    }
}
