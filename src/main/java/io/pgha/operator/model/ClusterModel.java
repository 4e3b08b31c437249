package io.pgha.operator.model;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.api.v1.PvcRetention;
import io.pgha.config.DcsTiming;
import java.util.List;

/**
 * One PostgresCluster, defaulted and validated, computed once per reconciliation. Builders read only this,
 * never the custom resource, so a default or a rule lives in exactly one place ({@link SpecResolver}).
 *
 * @param generation the custom resource's metadata.generation the model was built from
 * @param owner      the reference every produced object carries, so deleting the cluster deletes them
 */
public record ClusterModel(
        ClusterNames names,
        long generation,
        int instances,
        Settings.Postgres postgres,
        Settings.Storage storage,
        Settings.Replication replication,
        DcsTiming timing,
        Settings.Etcd etcd,
        Settings.Pooler pooler,
        Settings.LoadBalancer loadBalancer,
        List<Settings.Database> databases,
        List<Settings.User> users,
        List<String> extensions,
        Settings.Scheduling scheduling,
        PvcRetention pvcRetention,
        OwnerReference owner) {

    /** The name of the member StatefulSet's volume claim template. */
    public static final String DATA_VOLUME = "pgdata";

    /**
     * @throws InvalidSpecException naming every field that is wrong, when the spec cannot be applied
     */
    public static ClusterModel from(PostgresCluster cluster) {
        return new SpecResolver(cluster).resolve();
    }

    static OwnerReference ownerOf(PostgresCluster c) {
        return new OwnerReferenceBuilder().withApiVersion(c.getApiVersion()).withKind(c.getKind())
                .withName(c.getMetadata().getName()).withUid(c.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    public String name() {
        return names.cluster();
    }

    public String namespace() {
        return names.namespace();
    }

    /** The agents' etcd endpoints, host:port each. */
    public List<String> etcdEndpoints() {
        if (!etcd.managed()) {
            return etcd.externalEndpoints();
        }
        return java.util.stream.IntStream.range(0, etcd.replicas())
                .mapToObj(i -> names.etcdHost(i) + ":" + Defaults.ETCD_CLIENT_PORT).toList();
    }
}
