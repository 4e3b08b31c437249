package io.pgha.operator.model;

/**
 * Every object name derived from the cluster's name, in one place so that builders, the reconciler and
 * tests agree. Member pods are {cluster}-{ordinal}, reachable at {pod}.{cluster}-members.{ns}.svc.
 */
public record ClusterNames(String cluster, String namespace) {

    /** The member StatefulSet; its pods are the PostgreSQL members. */
    public String members() {
        return cluster;
    }

    /** The headless Service that gives each member pod a stable DNS name. */
    public String membersHeadless() {
        return cluster + "-members";
    }

    public String primaryService() {
        return cluster + "-primary";
    }

    public String replicasService() {
        return cluster + "-replicas";
    }

    /** HAProxy's Deployment, ConfigMap and Service share this name. */
    public String haproxy() {
        return cluster + "-haproxy";
    }

    public String agentConfig() {
        return cluster + "-agent";
    }

    public String pgbouncerConfig() {
        return cluster + "-pgbouncer";
    }

    /** The Secret holding PgBouncer's auth_file (plain-text passwords, which SCRAM pass-through needs). */
    public String pgbouncerUserlist() {
        return cluster + "-pgbouncer-users";
    }

    /** The etcd StatefulSet and its client Service. */
    public String etcd() {
        return cluster + "-etcd";
    }

    /** The headless Service etcd peers find each other through. */
    public String etcdHeadless() {
        return cluster + "-etcd-peers";
    }

    public String superuserSecret() {
        return cluster + "-superuser";
    }

    public String replicationSecret() {
        return cluster + "-replication";
    }

    /** The login the agents require on their REST API's write endpoints; the operator uses it to ask for switchovers. */
    public String restApiSecret() {
        return cluster + "-restapi";
    }

    public String userSecret(String user) {
        return cluster + "-user-" + user.replace('_', '-');
    }

    /** The agent's ServiceAccount, Role and RoleBinding share this name. */
    public String agentAccount() {
        return cluster + "-agent";
    }

    public String memberPod(int ordinal) {
        return cluster + "-" + ordinal;
    }

    /** A member's stable DNS name inside the cluster. */
    public String memberHost(int ordinal) {
        return memberPod(ordinal) + "." + membersHeadless() + "." + namespace + ".svc";
    }

    public String etcdPod(int ordinal) {
        return etcd() + "-" + ordinal;
    }

    public String etcdHost(int ordinal) {
        return etcdPod(ordinal) + "." + etcdHeadless() + "." + namespace + ".svc";
    }

    public String etcdClientHost() {
        return etcd() + "." + namespace + ".svc";
    }

    /** The data volume claim of a member: {template}-{pod}, as the StatefulSet controller names it. */
    public String memberPvc(int ordinal) {
        return ClusterModel.DATA_VOLUME + "-" + memberPod(ordinal);
    }
}
