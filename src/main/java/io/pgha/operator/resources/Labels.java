package io.pgha.operator.resources;

import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import java.util.Map;
import java.util.TreeMap;

/** The standard app.kubernetes.io/* labels, plus pgha.io/cluster, on everything the operator creates. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGER = "pgha-operator";

    public static final String DATABASE = "database";
    public static final String ETCD = "etcd";
    public static final String HAPROXY = "haproxy";
    public static final String CONFIG = "config";
    public static final String CREDENTIALS = "credentials";
    public static final String AGENT = "agent";

    private Labels() {}

    public static Map<String, String> standard(ClusterModel m, String component) {
        Map<String, String> l = new TreeMap<>(selector(m, component));
        l.put(MANAGED_BY, MANAGER);
        l.put(PART_OF, "pgha");
        return l;
    }

    /**
     * The labels a workload selects its pods by: stable for the cluster's life, because a StatefulSet's or
     * Deployment's selector is immutable.
     */
    public static Map<String, String> selector(ClusterModel m, String component) {
        Map<String, String> l = new TreeMap<>();
        l.put(NAME, "pgha");
        l.put(INSTANCE, m.name());
        l.put(COMPONENT, component);
        l.put(PodContract.CLUSTER_LABEL, m.name());
        return l;
    }

    /** The members that currently hold a role, as the agent labels its pod. */
    public static Map<String, String> role(ClusterModel m, String role) {
        Map<String, String> l = new TreeMap<>(selector(m, DATABASE));
        l.put(PodContract.ROLE_LABEL, role);
        return l;
    }

    /** k=v,k=v: the form of status.selector for the scale subresource. */
    public static String asSelectorString(Map<String, String> labels) {
        return String.join(",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
