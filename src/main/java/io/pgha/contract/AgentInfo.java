package io.pgha.contract;

/** Version strings the agent publishes. */
public final class AgentInfo {
    /**
     * The {@code version} field of member keys and of GET /patroni. patronictl and Patroni peers parse it
     * numerically (below 2.1.0 they fall back to legacy keys), so pgha advertises the Patroni release whose
     * semantics it implements; its own version is published separately as {@code pgha_version}.
     */
    public static final String PATRONI_COMPAT_VERSION = "3.0.2";

    public static String pghaVersion() {
        String v = AgentInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private AgentInfo() {}
}
