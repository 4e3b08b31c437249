package io.pgha.contract;

/**
 * Patroni's etcd v3 key layout (patroni-compat.md §1): every key is BASE/suffix with
 * BASE = "/" + namespace + "/" + scope, runs of '/' collapsed. Shared by the agent and the CLI.
 */
public final class DcsKeys {
    public static final String LEADER = "leader";
    public static final String CONFIG = "config";
    public static final String INITIALIZE = "initialize";
    public static final String STATUS = "status";
    public static final String HISTORY = "history";
    public static final String FAILOVER = "failover";
    public static final String SYNC = "sync";
    public static final String FAILSAFE = "failsafe";
    public static final String MEMBERS = "members/";
    public static final String LEGACY_OPTIME = "optime/leader";

    private final String base;

    public DcsKeys(String namespace, String scope) {
        this.base = ("/" + namespace + "/" + scope + "/").replaceAll("/+", "/");
    }

    /** The prefix every key starts with, ending in '/'. */
    public String prefix() {
        return base;
    }

    public String key(String suffix) {
        return base + suffix;
    }

    public String member(String name) {
        return base + MEMBERS + name;
    }

    /** The suffix of a full key, or null when the key is outside this cluster. */
    public String suffixOf(String fullKey) {
        return fullKey.startsWith(base) ? fullKey.substring(base.length()) : null;
    }
}
