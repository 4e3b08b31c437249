package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.pgha.config.HaproxyConfig;
import io.pgha.config.HaproxyConfigRenderer;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import java.util.stream.IntStream;

/**
 * HAProxy in front of the members: its haproxy.cfg (rendered by the same code as {@code pgha local}'s), the
 * Deployment and the Service clients connect to. HAProxy asks each member's agent GET /primary and GET /replica
 * on 8008, as with Patroni, and forwards to the member's PgBouncer (or PostgreSQL when the pooler is off).
 */
public final class Haproxy {

    public static final String CONFIG_KEY = "haproxy.cfg";
    public static final String CONFIG_MOUNT = "/etc/haproxy";
    public static final int STATS_PORT = 7000;

    private Haproxy() {}

    public static ConfigMap configMap(ClusterModel m) {
        int backendPort = m.pooler().enabled() ? PodContract.PGBOUNCER_PORT : PodContract.POSTGRES_PORT;
        var lb = m.loadBalancer();
        // every possible member is listed: a member that does not exist (yet) is simply down in HAProxy, and
        // scaling then needs no HAProxy restart
        HaproxyConfig config = new HaproxyConfig("0.0.0.0", lb.readWritePort(), lb.readOnlyPort(), STATS_PORT,
                IntStream.range(0, m.instances()).mapToObj(i -> new HaproxyConfig.Server(m.names().memberPod(i),
                        m.names().memberHost(i), backendPort, PodContract.REST_PORT)).toList());
        return new ConfigMapBuilder().withMetadata(Metadata.of(m, m.names().haproxy(), Labels.HAPROXY))
                .addToData(CONFIG_KEY, new HaproxyConfigRenderer().render(config)).build();
    }

    /** @param configDigest digest of {@link #configMap}: HAProxy reads its file at start only */
    public static Deployment deployment(ClusterModel m, String configDigest) {
        var lb = m.loadBalancer();
        return new DeploymentBuilder().withMetadata(Metadata.of(m, m.names().haproxy(), Labels.HAPROXY))
                .withNewSpec().withReplicas(lb.replicas())
                .withNewSelector().withMatchLabels(Labels.selector(m, Labels.HAPROXY)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.standard(m, Labels.HAPROXY))
                .addToAnnotations(MemberStatefulSet.CONFIG_DIGEST, configDigest).endMetadata()
                .withNewSpec()
                .withAffinity(Scheduling.affinity(m, Labels.HAPROXY))
                .withTolerations(m.scheduling().tolerations()).withNodeSelector(m.scheduling().nodeSelector())
                .addNewContainer().withName("haproxy").withImage(m.postgres().image())
                .withCommand("haproxy", "-W", "-db", "-f", CONFIG_MOUNT + "/" + CONFIG_KEY)
                .addNewPort().withName("read-write").withContainerPort(lb.readWritePort()).endPort()
                .addNewPort().withName("read-only").withContainerPort(lb.readOnlyPort()).endPort()
                .addNewPort().withName("stats").withContainerPort(STATS_PORT).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(lb.readWritePort()).endTcpSocket()
                .withPeriodSeconds(5).endReadinessProbe()
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_MOUNT).withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName(m.names().haproxy()).endConfigMap()
                .endVolume()
                .endSpec().endTemplate().endSpec().build();
    }

    public static Service service(ClusterModel m) {
        var lb = m.loadBalancer();
        return new ServiceBuilder().withMetadata(Metadata.of(m, m.names().haproxy(), Labels.HAPROXY))
                .withNewSpec().withType(lb.serviceType()).withSelector(Labels.selector(m, Labels.HAPROXY))
                .withPorts(MemberServices.port("read-write", lb.readWritePort()),
                        MemberServices.port("read-only", lb.readOnlyPort()))
                .endSpec().build();
    }
}
