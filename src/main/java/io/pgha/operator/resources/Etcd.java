package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.pgha.operator.model.ClusterModel;
import io.pgha.operator.model.Defaults;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The managed etcd (the agents' leader lease and member keys): a StatefulSet whose peers find each other
 * through a headless Service, and a client Service. Only built when the spec does not name an external etcd.
 */
public final class Etcd {

    static final String DATA_DIR = "/var/lib/etcd";

    private Etcd() {}

    public static StatefulSet statefulSet(ClusterModel m) {
        var e = m.etcd();
        return new StatefulSetBuilder().withMetadata(Metadata.of(m, m.names().etcd(), Labels.ETCD))
                .withNewSpec().withReplicas(e.replicas()).withServiceName(m.names().etcdHeadless())
                .withNewSelector().withMatchLabels(Labels.selector(m, Labels.ETCD)).endSelector()
                // a new etcd cluster only forms once all initial peers run, so they must start together
                .withPodManagementPolicy("Parallel")
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.standard(m, Labels.ETCD)).endMetadata()
                .withNewSpec()
                .withAffinity(Scheduling.affinity(m, Labels.ETCD))
                .withTolerations(m.scheduling().tolerations()).withNodeSelector(m.scheduling().nodeSelector())
                .addNewContainer().withName("etcd").withImage(e.image())
                .withCommand(command(m))
                .addNewEnv().withName("ETCD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewPort().withName("client").withContainerPort(Defaults.ETCD_CLIENT_PORT).endPort()
                .addNewPort().withName("peer").withContainerPort(Defaults.ETCD_PEER_PORT).endPort()
                .withResources(e.resources())
                .withNewReadinessProbe().withNewHttpGet().withPath("/health").withNewPort(Defaults.ETCD_CLIENT_PORT)
                .endHttpGet().withPeriodSeconds(5).endReadinessProbe()
                .addNewVolumeMount().withName("data").withMountPath(DATA_DIR).endVolumeMount()
                .endContainer()
                .endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data")
                .withLabels(Labels.standard(m, Labels.ETCD)).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(e.storage())).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec().build();
    }

    /** etcd's flags; $(ETCD_NAME) is the pod name, expanded by the kubelet. */
    static List<String> command(ClusterModel m) {
        String peerUrl = "http://$(ETCD_NAME)." + m.names().etcdHeadless() + "." + m.namespace() + ".svc:" + Defaults.ETCD_PEER_PORT;
        String initialCluster = IntStream.range(0, m.etcd().replicas())
                .mapToObj(i -> m.names().etcdPod(i) + "=http://" + m.names().etcdHost(i) + ":" + Defaults.ETCD_PEER_PORT)
                .collect(Collectors.joining(","));
        return List.of("etcd", "--data-dir=" + DATA_DIR,
                "--listen-client-urls=http://0.0.0.0:" + Defaults.ETCD_CLIENT_PORT,
                "--advertise-client-urls=http://$(ETCD_NAME)." + m.names().etcdHeadless() + "." + m.namespace()
                        + ".svc:" + Defaults.ETCD_CLIENT_PORT,
                "--listen-peer-urls=http://0.0.0.0:" + Defaults.ETCD_PEER_PORT,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=" + initialCluster,
                "--initial-cluster-token=" + m.name() + "-etcd",
                "--initial-cluster-state=new");
    }

    public static Service headless(ClusterModel m) {
        return new ServiceBuilder().withMetadata(Metadata.of(m, m.names().etcdHeadless(), Labels.ETCD))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(Labels.selector(m, Labels.ETCD))
                .withPorts(MemberServices.port("client", Defaults.ETCD_CLIENT_PORT),
                        MemberServices.port("peer", Defaults.ETCD_PEER_PORT))
                .endSpec().build();
    }

    public static Service client(ClusterModel m) {
        return new ServiceBuilder().withMetadata(Metadata.of(m, m.names().etcd(), Labels.ETCD))
                .withNewSpec().withType("ClusterIP").withSelector(Labels.selector(m, Labels.ETCD))
                .withPorts(MemberServices.port("client", Defaults.ETCD_CLIENT_PORT)).endSpec().build();
    }
}
