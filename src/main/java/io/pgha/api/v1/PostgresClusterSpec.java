package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/** What the user asks for. Every field is optional except where the schema says otherwise. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresClusterSpec {
    /** Members (PostgreSQL + agent pods). Scaling down removes the highest ordinals. */
    @Min(1)
    @Max(9)
    @Default("3")
    @SpecReplicas
    public Integer instances;
    public PostgresSpec postgres;
    public StorageSpec storage;
    public ReplicationSpec replication;
    public HaSpec ha;
    public EtcdSpec etcd;
    public PoolerSpec pooler;
    public LoadBalancerSpec loadBalancer;
    /** Databases the leader's agent creates after bootstrap and whenever the list grows. */
    public List<DatabaseSpec> databases;
    /** Login roles, each with a generated password in a Secret named {cluster}-user-{name}. */
    public List<UserSpec> users;
    /** Extensions created in every listed database (CREATE EXTENSION IF NOT EXISTS). */
    public List<String> extensions;
    public SchedulingSpec scheduling;
    public DeletionSpec deletion;
}
