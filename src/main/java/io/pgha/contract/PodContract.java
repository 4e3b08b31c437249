package io.pgha.contract;

/**
 * What the operator and the agent agree on inside a member pod: ports, the role label the agent puts on its
 * own pod, and the environment the operator sets (Patroni's PATRONI_* names, which the agent's settings
 * loader already honours). One file, so a rename breaks the build instead of a cluster.
 */
public final class PodContract {

    public static final int POSTGRES_PORT = 5432;
    public static final int PGBOUNCER_PORT = 6432;
    public static final int REST_PORT = 8008;

    /** Set by the agent on its own pod; the -primary and -replicas Services select on it. */
    public static final String ROLE_LABEL = "pgha.io/role";
    public static final String ROLE_PRIMARY = "primary";
    public static final String ROLE_REPLICA = "replica";
    /** Set by the agent: its member status as JSON (role, state, timeline, lag). */
    public static final String STATUS_ANNOTATION = "pgha.io/status";
    /** The cluster a pod belongs to (also on every object the operator creates). */
    public static final String CLUSTER_LABEL = "pgha.io/cluster";

    /** The pod's name (downward API); it is the member name. */
    public static final String ENV_NAME = "PATRONI_NAME";
    public static final String ENV_POD_NAMESPACE = "POD_NAMESPACE";
    public static final String ENV_POD_IP = "POD_IP";
    public static final String ENV_REST_CONNECT = "PATRONI_RESTAPI_CONNECT_ADDRESS";
    public static final String ENV_POSTGRES_CONNECT = "PATRONI_POSTGRESQL_CONNECT_ADDRESS";
    public static final String ENV_SUPERUSER_USERNAME = "PATRONI_SUPERUSER_USERNAME";
    public static final String ENV_SUPERUSER_PASSWORD = "PATRONI_SUPERUSER_PASSWORD";
    public static final String ENV_REPLICATION_USERNAME = "PATRONI_REPLICATION_USERNAME";
    public static final String ENV_REPLICATION_PASSWORD = "PATRONI_REPLICATION_PASSWORD";
    public static final String ENV_REWIND_USERNAME = "PATRONI_REWIND_USERNAME";
    public static final String ENV_REWIND_PASSWORD = "PATRONI_REWIND_PASSWORD";
    /** Basic-auth login the agent requires on its REST API's write endpoints (switchover, restart…). */
    public static final String ENV_RESTAPI_USERNAME = "PATRONI_RESTAPI_USERNAME";
    public static final String ENV_RESTAPI_PASSWORD = "PATRONI_RESTAPI_PASSWORD";

    /** Agent REST paths the operator and HAProxy use. */
    public static final String PATH_PRIMARY = "/primary";
    public static final String PATH_REPLICA = "/replica";
    public static final String PATH_PATRONI = "/patroni";
    public static final String PATH_SWITCHOVER = "/switchover";
    public static final String PATH_LIVENESS = "/liveness";
    public static final String PATH_READINESS = "/readiness";

    private PodContract() {}
}
