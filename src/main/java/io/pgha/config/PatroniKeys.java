package io.pgha.config;

import java.util.Set;

/**
 * Which keys of a Patroni configuration pgha understands, per section, and which Patroni keys it knows but
 * does not implement yet (those are refused by name, so nothing is silently ignored).
 */
final class PatroniKeys {

    private PatroniKeys() {}

    static final Set<String> TOP = Set.of("scope", "namespace", "name", "restapi", "etcd3", "bootstrap",
            "postgresql", "tags", "pgha", "log", "ctl", "watchdog");
    static final Set<String> TOP_UNSUPPORTED = Set.of("etcd", "consul", "zookeeper", "exhibitor",
            "kubernetes", "raft", "citus", "standby_cluster", "synchronous_mode");
    static final Set<String> RESTAPI = Set.of("listen", "connect_address", "authentication", "allowlist", "certfile",
            "keyfile", "keyfile_password", "cafile", "verify_client");
    static final Set<String> RESTAPI_UNSUPPORTED = Set.of("ciphers", "allowlist_include_members", "http_extra_headers",
            "https_extra_headers", "request_queue_size");
    static final Set<String> ETCD3 = Set.of("host", "hosts", "protocol", "cacert", "cert", "key");
    static final Set<String> ETCD3_UNSUPPORTED = Set.of("url", "proxy", "srv", "srv_suffix", "username",
            "password", "key_password", "use_proxies", "retry_timeout");
    static final Set<String> BOOTSTRAP = Set.of("dcs", "initdb");
    static final Set<String> BOOTSTRAP_UNSUPPORTED = Set.of("method", "users", "post_bootstrap",
            "post_init", "pg_hba");
    static final Set<String> POSTGRESQL = Set.of("listen", "connect_address", "data_dir", "bin_dir",
            "authentication", "parameters", "pg_hba", "use_pg_rewind", "remove_data_directory_on_rewind_failure",
            "remove_data_directory_on_diverged_timelines", "database", "pgpass", "use_unix_socket");
    static final Set<String> POSTGRESQL_UNSUPPORTED = Set.of("callbacks", "create_replica_methods",
            "recovery_conf", "custom_conf", "pg_ident", "basebackup", "pg_ctl_timeout", "proxy_address",
            "use_unix_socket_repl", "bin_name", "before_stop", "pre_promote", "on_reload", "on_role_change",
            "on_start", "on_stop", "restore_command", "config_dir");
    /** Dynamic settings pgha implements, as seeded from bootstrap.dcs. */
    static final Set<String> DCS = Set.of("ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover",
            "check_timeline", "postgresql", "pause", "synchronous_mode", "synchronous_mode_strict",
            "synchronous_node_count", "maximum_lag_on_syncnode", "failsafe_mode");
    /** Patroni dynamic settings pgha does not implement yet: accepted only when off (false, null or absent). */
    static final Set<String> DCS_UNSUPPORTED = Set.of("standby_cluster", "slots", "permanent_slots",
            "permanent_replication_slots", "ignore_slots", "primary_start_timeout", "master_start_timeout",
            "primary_stop_timeout", "master_stop_timeout", "max_timelines_history");
    static final Set<String> DCS_POSTGRESQL = Set.of("use_pg_rewind", "use_slots", "parameters");
    static final Set<String> DCS_POSTGRESQL_UNSUPPORTED = Set.of("pg_hba", "pg_ident", "recovery_conf",
            "remove_data_directory_on_rewind_failure", "remove_data_directory_on_diverged_timelines");
    static final Set<String> AUTH_ROLES = Set.of("superuser", "replication", "rewind");
    static final Set<String> TAGS_KNOWN_BOOL = Set.of("nofailover", "noloadbalance", "clonefrom", "nosync");
    static final Set<String> PGHA = Set.of("credentials_dir", "provisioning_file", "user_secrets_dir");
}
