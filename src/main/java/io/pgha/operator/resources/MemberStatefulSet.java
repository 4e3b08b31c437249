package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.AppliedSettings;
import io.pgha.operator.model.ClusterModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The members: each pod runs the pgha agent, which runs PostgreSQL, and (when the pooler is on) a PgBouncer
 * sidecar. Updates are {@code OnDelete}: the operator, not the StatefulSet controller, decides which pod to
 * restart when, so that standbys go first and the primary last, after a switchover.
 */
public final class MemberStatefulSet {

    public static final String AGENT_CONTAINER = "postgres";
    public static final String PGBOUNCER_CONTAINER = "pgbouncer";
    public static final String AGENT_CONFIG_MOUNT = "/etc/pgha";
    /** On the pod template: a digest of the rendered configuration, so a config change is a template change. */
    public static final String CONFIG_DIGEST = "pgha.io/config-digest";
    static final long POSTGRES_UID = 999;

    private MemberStatefulSet() {}

    /** @param configDigest digest of the agent and PgBouncer configuration (see {@link ConfigDigest}) */
    public static StatefulSet build(ClusterModel m, String configDigest) {
        var meta = Metadata.of(m, m.names().members(), Labels.DATABASE);
        meta.setAnnotations(AppliedSettings.of(m).toAnnotations());
        return new StatefulSetBuilder().withMetadata(meta)
                .withNewSpec()
                .withReplicas(m.instances())
                .withServiceName(m.names().membersHeadless())
                .withNewSelector().withMatchLabels(Labels.selector(m, Labels.DATABASE)).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                // members start in parallel: the agents, not ordinal order, decide who bootstraps
                .withPodManagementPolicy("Parallel")
                .withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted(m.pvcRetention().name()).withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.standard(m, Labels.DATABASE))
                .addToAnnotations(CONFIG_DIGEST, configDigest).endMetadata()
                .withSpec(podSpec(m))
                .endTemplate()
                .withVolumeClaimTemplates(dataVolume(m))
                .endSpec().build();
    }

    static PodSpec podSpec(ClusterModel m) {
        List<Container> containers = new ArrayList<>();
        containers.add(agent(m));
        List<Volume> volumes = new ArrayList<>(List.of(
                new VolumeBuilder().withName("agent-config").withNewConfigMap().withName(m.names().agentConfig())
                        .endConfigMap().build(),
                new VolumeBuilder().withName("run").withNewEmptyDir().endEmptyDir().build()));
        if (!m.users().isEmpty()) {
            volumes.add(userSecrets(m));
        }
        if (AgentConfigMap.etcdTlsSecret(m) != null) {
            volumes.add(new VolumeBuilder().withName("etcd-tls").withNewSecret()
                    .withSecretName(AgentConfigMap.etcdTlsSecret(m)).withDefaultMode(0400).endSecret().build());
        }
        if (m.pooler().enabled()) {
            containers.add(pgbouncer(m));
            volumes.add(new VolumeBuilder().withName("pgbouncer-config").withNewConfigMap()
                    .withName(m.names().pgbouncerConfig()).endConfigMap().build());
            volumes.add(new VolumeBuilder().withName("pgbouncer-users").withNewSecret()
                    .withSecretName(m.names().pgbouncerUserlist()).withDefaultMode(0400).endSecret().build());
        }
        var s = m.scheduling();
        return new PodSpecBuilder()
                .withServiceAccountName(m.names().agentAccount())
                // time for a clean shutdown: the agent stops PostgreSQL and releases the leader key
                .withTerminationGracePeriodSeconds(60L)
                .withNewSecurityContext().withRunAsUser(POSTGRES_UID).withRunAsGroup(POSTGRES_UID)
                .withFsGroup(POSTGRES_UID).withRunAsNonRoot(true).endSecurityContext()
                .withContainers(containers).withVolumes(volumes)
                .withAffinity(Scheduling.affinity(m, Labels.DATABASE))
                .withTolerations(s.tolerations()).withNodeSelector(s.nodeSelector())
                .withTopologySpreadConstraints(s.topologySpreadConstraints())
                .build();
    }

    private static Container agent(ClusterModel m) {
        String dns = "." + m.names().membersHeadless() + "." + m.namespace() + ".svc";
        List<EnvVar> env = new ArrayList<>(List.of(
                fieldRef(PodContract.ENV_NAME, "metadata.name"),
                fieldRef(PodContract.ENV_POD_NAMESPACE, "metadata.namespace"),
                fieldRef(PodContract.ENV_POD_IP, "status.podIP"),
                // $(VAR) expands variables defined earlier in this list
                value(PodContract.ENV_REST_CONNECT, "$(" + PodContract.ENV_NAME + ")" + dns + ":" + PodContract.REST_PORT),
                value(PodContract.ENV_POSTGRES_CONNECT, "$(" + PodContract.ENV_NAME + ")" + dns + ":" + PodContract.POSTGRES_PORT),
                value(PodContract.ENV_SUPERUSER_USERNAME, AgentConfigMap.SUPERUSER),
                secretRef(PodContract.ENV_SUPERUSER_PASSWORD, m.names().superuserSecret()),
                value(PodContract.ENV_REPLICATION_USERNAME, AgentConfigMap.REPLICATION_USER),
                secretRef(PodContract.ENV_REPLICATION_PASSWORD, m.names().replicationSecret()),
                // pg_rewind runs as the superuser, as Patroni does when no rewind user is configured
                value(PodContract.ENV_REWIND_USERNAME, AgentConfigMap.SUPERUSER),
                secretRef(PodContract.ENV_REWIND_PASSWORD, m.names().superuserSecret()),
                // write endpoints (switchover, restart, reinitialize) need this login; reads stay open for HAProxy
                value(PodContract.ENV_RESTAPI_USERNAME, CredentialSecret.REST_API_USER),
                secretRef(PodContract.ENV_RESTAPI_PASSWORD, m.names().restApiSecret())));
        return new ContainerBuilder().withName(AGENT_CONTAINER).withImage(m.postgres().image())
                .withCommand("pgha", "agent", "--config", AGENT_CONFIG_MOUNT + "/" + AgentConfigMap.AGENT_YAML)
                .withEnv(env)
                .addNewPort().withName("postgresql").withContainerPort(PodContract.POSTGRES_PORT).endPort()
                .addNewPort().withName("agent").withContainerPort(PodContract.REST_PORT).endPort()
                .withResources(m.postgres().resources())
                // ready = the agent says this member serves (primary running, or standby streaming)
                .withReadinessProbe(httpProbe(PodContract.PATH_READINESS, 5, 3))
                // not alive = the HA loop is stuck; generous, because a restart of PostgreSQL is not a hang
                .withLivenessProbe(httpProbe(PodContract.PATH_LIVENESS, 10, 6))
                .addNewVolumeMount().withName(ClusterModel.DATA_VOLUME).withMountPath(AgentConfigMap.DATA_MOUNT).endVolumeMount()
                .addNewVolumeMount().withName("agent-config").withMountPath(AGENT_CONFIG_MOUNT).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("run").withMountPath(AgentConfigMap.SOCKET_DIR).endVolumeMount()
                .addAllToVolumeMounts(m.users().isEmpty() ? List.of() : List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                        .withName("user-secrets").withMountPath(AgentConfigMap.USER_SECRETS_DIR).withReadOnly(true).build()))
                .addAllToVolumeMounts(AgentConfigMap.etcdTlsSecret(m) == null ? List.of() : List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                        .withName("etcd-tls").withMountPath(AgentConfigMap.ETCD_TLS_DIR).withReadOnly(true).build()))
                .build();
    }

    /** Every user's Secret in one volume, at {secret name}/password, for the leader's provisioning step. */
    private static Volume userSecrets(ClusterModel m) {
        var projected = new io.fabric8.kubernetes.api.model.ProjectedVolumeSourceBuilder().withDefaultMode(0400);
        for (var u : m.users()) {
            String secret = m.names().userSecret(u.name());
            projected.addNewSource().withNewSecret().withName(secret)
                    .addNewItem().withKey(CredentialSecret.PASSWORD).withPath(secret + "/" + CredentialSecret.PASSWORD).endItem()
                    .endSecret().endSource();
        }
        return new VolumeBuilder().withName("user-secrets").withProjected(projected.build()).build();
    }

    private static Container pgbouncer(ClusterModel m) {
        return new ContainerBuilder().withName(PGBOUNCER_CONTAINER).withImage(m.postgres().image())
                .withCommand("pgbouncer", PgbouncerConfigMap.CONFIG_MOUNT + "/" + PgbouncerConfigMap.INI)
                .addNewPort().withName("pgbouncer").withContainerPort(PodContract.PGBOUNCER_PORT).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(PodContract.PGBOUNCER_PORT).endTcpSocket()
                .withPeriodSeconds(5).endReadinessProbe()
                .addNewVolumeMount().withName("pgbouncer-config").withMountPath(PgbouncerConfigMap.CONFIG_MOUNT)
                .withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("pgbouncer-users").withMountPath(PgbouncerConfigMap.USERLIST_MOUNT)
                .withReadOnly(true).endVolumeMount()
                .build();
    }

    static PersistentVolumeClaim dataVolume(ClusterModel m) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(ClusterModel.DATA_VOLUME).withLabels(Labels.standard(m, Labels.DATABASE))
                .endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(m.storage().storageClassName())
                .withNewResources().addToRequests("storage", new Quantity(m.storage().size())).endResources()
                .endSpec().build();
    }

    private static Probe httpProbe(String path, int period, int failures) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort(PodContract.REST_PORT).endHttpGet()
                .withPeriodSeconds(period).withFailureThreshold(failures).withTimeoutSeconds(3).build();
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar secretRef(String name, String secret) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret)
                .withKey(CredentialSecret.PASSWORD).endSecretKeyRef().endValueFrom().build();
    }
}
