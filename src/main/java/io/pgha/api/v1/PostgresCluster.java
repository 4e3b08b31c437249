package io.pgha.api.v1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A highly available PostgreSQL cluster: N members (PostgreSQL + pgha agent), etcd, PgBouncer and HAProxy.
 * The spec says what the user wants; defaults are applied by {@code ClusterModel}, never written back here,
 * so that a GitOps tool comparing its manifest with the stored object sees no drift.
 */
@Group(PostgresCluster.GROUP)
@Version(PostgresCluster.VERSION)
@ShortNames("pgc")
@AdditionalPrinterColumn(name = "Instances", jsonPath = ".spec.instances", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyInstances", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Primary", jsonPath = ".status.primary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PostgresCluster extends CustomResource<PostgresClusterSpec, PostgresClusterStatus> implements Namespaced {
    public static final String GROUP = "pgha.io";
    public static final String VERSION = "v1";
    public static final String CRD_NAME = "postgresclusters." + GROUP;
}
