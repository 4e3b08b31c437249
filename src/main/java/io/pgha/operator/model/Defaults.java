package io.pgha.operator.model;

import io.pgha.config.AgentConfig;
import io.pgha.config.DcsTiming;

/** What a PostgresCluster gets for every field it leaves out. Documented in docs/operator.md. */
public final class Defaults {

    public static final int INSTANCES = 3;
    public static final int POSTGRES_VERSION = 16;
    /** One image runs the agent with PostgreSQL, PgBouncer and HAProxy (see operator/Containerfile). */
    public static final String IMAGE = "pgha/pgha:0.1.0";
    public static final String STORAGE_SIZE = "10Gi";
    public static final int SYNC_STANDBYS = 1;
    public static final long MAXIMUM_LAG_ON_FAILOVER = AgentConfig.DEFAULT_MAXIMUM_LAG_ON_FAILOVER;
    public static final DcsTiming TIMING = DcsTiming.PGHA_DEFAULT;

    public static final int ETCD_REPLICAS = 3;
    public static final String ETCD_STORAGE = "1Gi";
    public static final String ETCD_IMAGE = "quay.io/coreos/etcd:v3.5.17";
    public static final int ETCD_CLIENT_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;

    public static final boolean POOLER_ENABLED = true;
    public static final String POOL_MODE = "transaction";
    public static final int MAX_CLIENT_CONN = 10000;
    public static final int DEFAULT_POOL_SIZE = 25;
    public static final int RESERVE_POOL_SIZE = 5;

    public static final boolean LOAD_BALANCER_ENABLED = true;
    public static final int LOAD_BALANCER_REPLICAS = 2;
    public static final int READ_WRITE_PORT = 5432;
    public static final int READ_ONLY_PORT = 5433;
    public static final String SERVICE_TYPE = "ClusterIP";

    private Defaults() {}
}
