package io.pgha.operator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings that cannot change once a cluster exists, as last applied. The operator records them as
 * annotations on the member StatefulSet, so the check survives operator restarts without reading history.
 */
public record AppliedSettings(Integer postgresVersion, String storageClassName, String etcdMode) {

    public static final String POSTGRES_VERSION = "pgha.io/postgres-version";
    public static final String STORAGE_CLASS = "pgha.io/storage-class";
    public static final String ETCD_MODE = "pgha.io/etcd-mode";

    public static AppliedSettings of(ClusterModel m) {
        return new AppliedSettings(m.postgres().version(), m.storage().storageClassName(), m.etcd().mode());
    }

    /** Reads them back from the StatefulSet's annotations; null when the cluster was never applied. */
    public static AppliedSettings fromAnnotations(Map<String, String> annotations) {
        if (annotations == null || !annotations.containsKey(ETCD_MODE)) {
            return null;
        }
        String v = annotations.get(POSTGRES_VERSION);
        return new AppliedSettings(v == null ? null : Integer.valueOf(v), annotations.get(STORAGE_CLASS),
                annotations.get(ETCD_MODE));
    }

    public Map<String, String> toAnnotations() {
        Map<String, String> a = new java.util.TreeMap<>();
        a.put(POSTGRES_VERSION, String.valueOf(postgresVersion));
        if (storageClassName != null) {
            a.put(STORAGE_CLASS, storageClassName);
        }
        a.put(ETCD_MODE, etcdMode);
        return a;
    }

    /**
     * Changes from {@code this} (applied) to {@code desired} that pgha refuses, each naming the field; empty
     * when the change may proceed.
     */
    public List<String> refusedChanges(AppliedSettings desired) {
        List<String> refused = new ArrayList<>();
        if (postgresVersion != null && desired.postgresVersion < postgresVersion) {
            refused.add("spec.postgres.version: cannot go down from " + postgresVersion + " to " + desired.postgresVersion);
        } else if (postgresVersion != null && desired.postgresVersion > postgresVersion) {
            refused.add("spec.postgres.version: a major upgrade from " + postgresVersion + " to "
                    + desired.postgresVersion + " is not supported in place yet");
        }
        if (!java.util.Objects.equals(storageClassName, desired.storageClassName)) {
            refused.add("spec.storage.storageClassName: immutable (is " + describe(storageClassName) + ", asked "
                    + describe(desired.storageClassName) + ")");
        }
        if (!etcdMode.equals(desired.etcdMode)) {
            refused.add("spec.etcd: the mode is immutable (is " + etcdMode + ", asked " + desired.etcdMode + ")");
        }
        return refused;
    }

    private static String describe(String storageClass) {
        return storageClass == null ? "the default class" : storageClass;
    }
}
