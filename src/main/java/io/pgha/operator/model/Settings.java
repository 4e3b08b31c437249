package io.pgha.operator.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.pgha.api.v1.ReplicationMode;
import java.util.List;
import java.util.Map;

/** The resolved (defaulted, validated) parts of a {@link ClusterModel}. Nothing here is ever null. */
public final class Settings {

    private Settings() {}

    public record Postgres(int version, String image, Map<String, String> parameters, List<String> pgHba,
                           ResourceRequirements resources) {}

    public record Storage(String size, String storageClassName) {
        public boolean hasStorageClass() {
            return storageClassName != null;
        }
    }

    public record Replication(ReplicationMode mode, int syncStandbys, long maximumLagOnFailover) {}

    /** Either managed (replicas, storage, image, resources) or external (endpoints, tlsSecret). */
    public record Etcd(boolean managed, int replicas, String storage, String image, ResourceRequirements resources,
                       List<String> externalEndpoints, String tlsSecret) {
        public String mode() {
            return managed ? "managed" : "external";
        }
    }

    public record Pooler(boolean enabled, String poolMode, int maxClientConn, int defaultPoolSize, int reservePoolSize) {}

    public record LoadBalancer(boolean enabled, int replicas, int readWritePort, int readOnlyPort, String serviceType) {}

    public record Database(String name, String owner) {}

    public record User(String name, List<String> databases, List<String> options) {}

    /** affinity is null when the user gave none: builders then use the default anti-affinity. */
    public record Scheduling(Affinity affinity, List<Toleration> tolerations, Map<String, String> nodeSelector,
                             List<TopologySpreadConstraint> topologySpreadConstraints) {}
}
