package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.pgha.config.PgbouncerConfig;
import io.pgha.config.PgbouncerConfigRenderer;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;

/** pgbouncer.ini for the sidecar, rendered by the same code as {@code pgha local}'s. */
public final class PgbouncerConfigMap {

    public static final String INI = "pgbouncer.ini";
    public static final String CONFIG_MOUNT = "/etc/pgbouncer";
    public static final String USERLIST_MOUNT = "/etc/pgbouncer-users";

    private PgbouncerConfigMap() {}

    public static ConfigMap build(ClusterModel m) {
        var p = m.pooler();
        PgbouncerConfig config = new PgbouncerConfig("0.0.0.0", PodContract.PGBOUNCER_PORT, "127.0.0.1",
                PodContract.POSTGRES_PORT, USERLIST_MOUNT + "/" + PgbouncerUserlistSecret.USERLIST,
                "/tmp/pgbouncer.pid", "/dev/stderr", AgentConfigMap.SUPERUSER, p.maxClientConn(), p.defaultPoolSize(),
                p.poolMode(), p.reservePoolSize());
        return new ConfigMapBuilder().withMetadata(Metadata.of(m, m.names().pgbouncerConfig(), Labels.CONFIG))
                .addToData(INI, new PgbouncerConfigRenderer().render(config)).build();
    }
}
