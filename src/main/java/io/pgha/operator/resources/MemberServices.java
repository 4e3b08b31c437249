package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The members' Services. The headless one gives every pod a DNS name (agents and HAProxy use it); -primary and
 * -replicas select on the role label that each agent sets on its own pod, so they follow failovers without the
 * operator.
 */
public final class MemberServices {

    private MemberServices() {}

    public static Service headless(ClusterModel m) {
        return new ServiceBuilder().withMetadata(Metadata.of(m, m.names().membersHeadless(), Labels.DATABASE))
                .withNewSpec().withClusterIP("None")
                // members find each other (and clone from each other) before they are ready
                .withPublishNotReadyAddresses(true)
                .withSelector(Labels.selector(m, Labels.DATABASE)).withPorts(ports(m, true)).endSpec().build();
    }

    public static Service primary(ClusterModel m) {
        return roleService(m, m.names().primaryService(), PodContract.ROLE_PRIMARY);
    }

    public static Service replicas(ClusterModel m) {
        return roleService(m, m.names().replicasService(), PodContract.ROLE_REPLICA);
    }

    private static Service roleService(ClusterModel m, String name, String role) {
        return new ServiceBuilder().withMetadata(Metadata.of(m, name, Labels.DATABASE))
                .withNewSpec().withType("ClusterIP").withSelector(Labels.role(m, role)).withPorts(ports(m, false))
                .endSpec().build();
    }

    private static List<ServicePort> ports(ClusterModel m, boolean withAgent) {
        List<ServicePort> ports = new ArrayList<>();
        ports.add(port("postgresql", PodContract.POSTGRES_PORT));
        if (m.pooler().enabled()) {
            ports.add(port("pgbouncer", PodContract.PGBOUNCER_PORT));
        }
        if (withAgent) {
            ports.add(port("agent", PodContract.REST_PORT));
        }
        return ports;
    }

    static ServicePort port(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withNewTargetPort(port).withProtocol("TCP").build();
    }
}
