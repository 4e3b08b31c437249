package io.pgha.operator.model;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pgha.api.v1.DatabaseSpec;
import io.pgha.api.v1.EtcdSpec;
import io.pgha.api.v1.HaSpec;
import io.pgha.api.v1.LoadBalancerSpec;
import io.pgha.api.v1.PoolMode;
import io.pgha.api.v1.PoolerSpec;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.api.v1.PostgresClusterSpec;
import io.pgha.api.v1.PostgresSpec;
import io.pgha.api.v1.PvcRetention;
import io.pgha.api.v1.ReplicationMode;
import io.pgha.api.v1.ReplicationSpec;
import io.pgha.api.v1.SchedulingSpec;
import io.pgha.api.v1.StorageSpec;
import io.pgha.api.v1.UserSpec;
import io.pgha.config.DcsTiming;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies defaults and the rules the CRD schema cannot express (or that a user may bypass with an old CRD).
 * Collects every problem before failing, so one status update lists them all.
 */
final class SpecResolver {

    /** Pod names ({cluster}-{n}) and the longest derived Service name must stay within 63 characters. */
    static final int MAX_NAME_LENGTH = 45;
    /** pgha sets these itself; a user value would break the members or the agent's control of them. */
    static final Set<String> RESERVED_PARAMETERS = Set.of("port", "listen_addresses", "data_directory", "hba_file",
            "ident_file", "config_file", "hot_standby", "wal_level", "synchronous_standby_names");
    /**
     * Role attributes the leader's provisioner accepts (agent/ProvisioningSpec keeps the same list: it refuses the
     * whole file otherwise, so the model refuses first, naming the field).
     */
    static final Set<String> ROLE_OPTIONS = Set.of("LOGIN", "NOLOGIN", "CREATEDB", "NOCREATEDB", "CREATEROLE",
            "NOCREATEROLE", "INHERIT", "NOINHERIT", "REPLICATION", "NOREPLICATION", "BYPASSRLS", "NOBYPASSRLS",
            "SUPERUSER", "NOSUPERUSER");

    static boolean roleOption(String option) {
        String o = option.trim().toUpperCase(java.util.Locale.ROOT);
        return ROLE_OPTIONS.contains(o) || o.matches("CONNECTION LIMIT -?\\d{1,6}");
    }

    /** Role names pgha creates itself. */
    static final Set<String> RESERVED_USERS = Set.of("postgres", "replicator");

    private final PostgresCluster cluster;
    private final PostgresClusterSpec spec;
    private final List<String> problems = new ArrayList<>();

    SpecResolver(PostgresCluster cluster) {
        this.cluster = cluster;
        this.spec = cluster.getSpec() == null ? new PostgresClusterSpec() : cluster.getSpec();
    }

    ClusterModel resolve() {
        String name = cluster.getMetadata().getName();
        if (name.length() > MAX_NAME_LENGTH) {
            problems.add("metadata.name: at most " + MAX_NAME_LENGTH + " characters (derived pod and Service names must fit in 63)");
        }
        int instances = orElse(spec.instances, Defaults.INSTANCES);
        range("spec.instances", instances, 1, 9);
        ClusterModel model = new ClusterModel(
                new ClusterNames(name, cluster.getMetadata().getNamespace()),
                Objects.requireNonNullElse(cluster.getMetadata().getGeneration(), 0L),
                instances, postgres(), storage(), replication(instances), timing(), etcd(), pooler(),
                loadBalancer(), databases(), users(), extensions(), scheduling(), pvcRetention(),
                ClusterModel.ownerOf(cluster));
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return model;
    }

    private Settings.Postgres postgres() {
        PostgresSpec p = orEmpty(spec.postgres, PostgresSpec::new);
        int version = orElse(p.version, Defaults.POSTGRES_VERSION);
        range("spec.postgres.version", version, 13, 18);
        Map<String, String> params = new TreeMap<>(p.parameters == null ? Map.of() : p.parameters);
        for (String key : params.keySet()) {
            if (RESERVED_PARAMETERS.contains(key)) {
                problems.add("spec.postgres.parameters." + key + ": set by pgha, remove it");
            }
        }
        List<String> hba = p.pgHba == null ? List.of() : List.copyOf(p.pgHba);
        for (int i = 0; i < hba.size(); i++) {
            if (hba.get(i).contains("\n")) {
                problems.add("spec.postgres.pgHba[" + i + "]: one pg_hba.conf line per item");
            }
        }
        return new Settings.Postgres(version, orElse(p.image, Defaults.IMAGE), params, hba,
                orEmpty(p.resources, ResourceRequirements::new));
    }

    private Settings.Storage storage() {
        StorageSpec s = orEmpty(spec.storage, StorageSpec::new);
        String size = orElse(s.size, Defaults.STORAGE_SIZE);
        quantity("spec.storage.size", size);
        return new Settings.Storage(size, s.storageClassName);
    }

    private Settings.Replication replication(int instances) {
        ReplicationSpec r = orEmpty(spec.replication, ReplicationSpec::new);
        ReplicationMode mode = orElse(r.mode, ReplicationMode.ASYNC);
        int sync = orElse(r.syncStandbys, Defaults.SYNC_STANDBYS);
        if (mode != ReplicationMode.ASYNC && sync > instances - 1) {
            problems.add("spec.replication.syncStandbys: " + sync + " synchronous standbys need at least "
                    + (sync + 1) + " instances (spec.instances is " + instances + ")");
        }
        long lag = orElse(r.maximumLagOnFailover, Defaults.MAXIMUM_LAG_ON_FAILOVER);
        if (lag < 0) {
            problems.add("spec.replication.maximumLagOnFailover: must not be negative");
        }
        return new Settings.Replication(mode, sync, lag);
    }

    private DcsTiming timing() {
        HaSpec h = orEmpty(spec.ha, HaSpec::new);
        try {
            return new DcsTiming(orElse(h.ttl, Defaults.TIMING.ttl()), orElse(h.loopWait, Defaults.TIMING.loopWait()),
                    orElse(h.retryTimeout, Defaults.TIMING.retryTimeout()));
        } catch (IllegalArgumentException e) {
            problems.add("spec.ha: " + e.getMessage().replace("loop_wait", "loopWait").replace("retry_timeout", "retryTimeout"));
            return Defaults.TIMING;
        }
    }

    private Settings.Etcd etcd() {
        EtcdSpec e = orEmpty(spec.etcd, EtcdSpec::new);
        if (e.managed != null && e.external != null) {
            problems.add("spec.etcd: give either managed or external, not both");
        }
        if (e.external != null) {
            List<String> endpoints = e.external.endpoints == null ? List.of() : List.copyOf(e.external.endpoints);
            if (endpoints.isEmpty()) {
                problems.add("spec.etcd.external.endpoints: at least one host:port");
            }
            for (String ep : endpoints) {
                if (!ep.matches("^(https?://)?[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}$")) {
                    problems.add("spec.etcd.external.endpoints: '" + ep + "' is not host:port");
                }
            }
            return new Settings.Etcd(false, 0, null, null, new ResourceRequirements(), endpoints, e.external.tlsSecret);
        }
        var m = orEmpty(e.managed, io.pgha.api.v1.ManagedEtcdSpec::new);
        int replicas = orElse(m.replicas, Defaults.ETCD_REPLICAS);
        if (replicas < 1 || replicas > 7 || replicas % 2 == 0) {
            problems.add("spec.etcd.managed.replicas: an odd number from 1 to 7, got " + replicas);
        }
        String storage = orElse(m.storage, Defaults.ETCD_STORAGE);
        quantity("spec.etcd.managed.storage", storage);
        return new Settings.Etcd(true, replicas, storage, orElse(m.image, Defaults.ETCD_IMAGE),
                orEmpty(m.resources, ResourceRequirements::new), List.of(), null);
    }

    private Settings.Pooler pooler() {
        PoolerSpec p = orEmpty(spec.pooler, PoolerSpec::new);
        PoolMode mode = orElse(p.poolMode, PoolMode.TRANSACTION);
        int maxClient = orElse(p.maxClientConn, Defaults.MAX_CLIENT_CONN);
        int pool = orElse(p.defaultPoolSize, Defaults.DEFAULT_POOL_SIZE);
        int reserve = orElse(p.reservePoolSize, Defaults.RESERVE_POOL_SIZE);
        range("spec.pooler.maxClientConn", maxClient, 1, 1_000_000);
        range("spec.pooler.defaultPoolSize", pool, 1, 10_000);
        range("spec.pooler.reservePoolSize", reserve, 0, 10_000);
        return new Settings.Pooler(orElse(p.enabled, Defaults.POOLER_ENABLED), mode.name().toLowerCase(),
                maxClient, pool, reserve);
    }

    private Settings.LoadBalancer loadBalancer() {
        LoadBalancerSpec l = orEmpty(spec.loadBalancer, LoadBalancerSpec::new);
        int rw = orElse(l.readWritePort, Defaults.READ_WRITE_PORT);
        int ro = orElse(l.readOnlyPort, Defaults.READ_ONLY_PORT);
        if (rw == ro) {
            problems.add("spec.loadBalancer: readWritePort and readOnlyPort must differ (both " + rw + ")");
        }
        int replicas = orElse(l.replicas, Defaults.LOAD_BALANCER_REPLICAS);
        range("spec.loadBalancer.replicas", replicas, 1, 10);
        return new Settings.LoadBalancer(orElse(l.enabled, Defaults.LOAD_BALANCER_ENABLED), replicas, rw, ro,
                l.serviceType == null ? Defaults.SERVICE_TYPE : l.serviceType.name());
    }

    private List<Settings.Database> databases() {
        List<Settings.Database> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> users = userNames();
        List<DatabaseSpec> dbs = spec.databases == null ? List.of() : spec.databases;
        for (int i = 0; i < dbs.size(); i++) {
            DatabaseSpec d = dbs.get(i);
            String field = "spec.databases[" + i + "]";
            if (!identifier(field + ".name", d.name)) {
                continue;
            }
            if (!seen.add(d.name) || d.name.equals("postgres")) {
                problems.add(field + ".name: '" + d.name + "' is listed twice or is the built-in postgres database");
            }
            if (d.owner != null && !users.contains(d.owner)) {
                problems.add(field + ".owner: '" + d.owner + "' is not in spec.users");
            }
            out.add(new Settings.Database(d.name, d.owner));
        }
        return List.copyOf(out);
    }

    private List<Settings.User> users() {
        List<Settings.User> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> databases = new HashSet<>(List.of("postgres"));
        if (spec.databases != null) {
            spec.databases.forEach(d -> databases.add(d.name));
        }
        List<UserSpec> users = spec.users == null ? List.of() : spec.users;
        for (int i = 0; i < users.size(); i++) {
            UserSpec u = users.get(i);
            String field = "spec.users[" + i + "]";
            if (!identifier(field + ".name", u.name)) {
                continue;
            }
            if (RESERVED_USERS.contains(u.name) || !seen.add(u.name)) {
                problems.add(field + ".name: '" + u.name + "' is listed twice or reserved by pgha");
            }
            List<String> dbs = u.databases == null ? List.of() : List.copyOf(u.databases);
            dbs.stream().filter(d -> !databases.contains(d)).forEach(d ->
                    problems.add(field + ".databases: '" + d + "' is not in spec.databases"));
            List<String> options = u.options == null ? List.of() : List.copyOf(u.options);
            options.stream().filter(o -> !roleOption(o)).forEach(o ->
                    problems.add(field + ".options: '" + o + "' is not a role option pgha sets (" + String.join(", ",
                            new java.util.TreeSet<>(ROLE_OPTIONS)) + ", CONNECTION LIMIT n)"));
            out.add(new Settings.User(u.name, dbs, options));
        }
        return List.copyOf(out);
    }

    private List<String> extensions() {
        List<String> ext = spec.extensions == null ? List.of() : List.copyOf(spec.extensions);
        for (int i = 0; i < ext.size(); i++) {
            identifier("spec.extensions[" + i + "]", ext.get(i));
        }
        return ext;
    }

    private Settings.Scheduling scheduling() {
        SchedulingSpec s = orEmpty(spec.scheduling, SchedulingSpec::new);
        return new Settings.Scheduling(s.affinity, s.tolerations == null ? List.of() : List.copyOf(s.tolerations),
                s.nodeSelector == null ? Map.of() : Map.copyOf(s.nodeSelector),
                s.topologySpreadConstraints == null ? List.of() : List.copyOf(s.topologySpreadConstraints));
    }

    private PvcRetention pvcRetention() {
        return spec.deletion == null || spec.deletion.pvcRetention == null ? PvcRetention.Retain : spec.deletion.pvcRetention;
    }

    private Set<String> userNames() {
        Set<String> names = new HashSet<>();
        if (spec.users != null) {
            spec.users.forEach(u -> names.add(u.name));
        }
        return names;
    }

    private boolean identifier(String field, String value) {
        if (value == null || !value.matches("^[a-z_][a-z0-9_]{0,62}$")) {
            problems.add(field + ": '" + value + "' is not a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63)");
            return false;
        }
        return true;
    }

    private void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(field + ": must be between " + min + " and " + max + ", got " + value);
        }
    }

    private void quantity(String field, String value) {
        try {
            if (Quantity.getAmountInBytes(new Quantity(value)).signum() <= 0) {
                problems.add(field + ": must be a positive size, got " + value);
            }
        } catch (IllegalArgumentException e) {
            problems.add(field + ": '" + value + "' is not a Kubernetes quantity such as 10Gi");
        }
    }

    private static <T> T orElse(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static <T> T orEmpty(T value, java.util.function.Supplier<T> empty) {
        return value == null ? empty.get() : value;
    }
}
