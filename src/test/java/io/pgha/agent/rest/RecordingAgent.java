package io.pgha.agent.rest;

import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An agent behind the REST routes that records every action asked of it (DCS writes, node tasks) and
 * carries each out at once: a 3-member cluster in an in-memory DCS, m1 leading. {@link #nodeTask} lets a
 * test decide what a node task does (e.g. block until released).
 */
final class RecordingAgent implements AgentControl, NodeTasks {
    private static final DcsKeys KEYS = new DcsKeys("/service/", "demo");

    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, Long> revisions = new LinkedHashMap<>();
    private long revision = 10;
    private final List<String> actions = Collections.synchronizedList(new ArrayList<>());
    volatile Supplier<RestReply> nodeTask = () -> RestReply.text(200, "done");
    volatile boolean failsafeMode = true;

    RecordingAgent() {
        reset();
    }

    /** Back to the healthy cluster, no action recorded. */
    synchronized void reset() {
        keys.clear();
        revisions.clear();
        write("initialize", "7712949774016736841");
        write("config", "{\"ttl\":30,\"loop_wait\":10}");
        write("leader", "m1");
        write("members/m1", member("master"));
        write("members/m2", member("replica"));
        write("members/m3", member("replica"));
        actions.clear();
    }

    List<String> actions() {
        synchronized (actions) {
            return List.copyOf(actions);
        }
    }

    private static String member(String role) {
        return "{\"conn_url\":\"postgres://127.0.0.1:5432/postgres\",\"api_url\":\"http://127.0.0.1:8008/patroni\","
                + "\"state\":\"running\",\"role\":\"" + role + "\",\"xlog_location\":100,\"timeline\":1}";
    }

    private void write(String key, String value) {
        keys.put(key, value);
        revisions.put(key, ++revision);
    }

    @Override
    public String scope() {
        return "demo";
    }

    @Override
    public String name() {
        return "m1";
    }

    @Override
    public synchronized Cluster readCluster() {
        List<ClusterParser.Entry> e = new ArrayList<>();
        keys.forEach((k, v) -> e.add(new ClusterParser.Entry(KEYS.key(k), v, revisions.get(k), k.equals("leader") ? 7 : 0)));
        return ClusterParser.parse(KEYS, e, revision);
    }

    @Override
    public synchronized boolean compareAndSet(String key, String value, long modRevision) {
        actions.add("compareAndSet " + key);
        if (revisions.getOrDefault(key, 0L) != modRevision) {
            return false;
        }
        write(key, value);
        return true;
    }

    @Override
    public synchronized void put(String key, String value) {
        actions.add("put " + key);
        write(key, value);
    }

    /** A leader that cannot carry out a switchover clears the key: the endpoint answers at its first look. */
    @Override
    public synchronized void wakeUp() {
        if (keys.containsKey("failover") && !keys.get("failover").contains("scheduled_at")) {
            write("failover", "{}");
        }
    }

    @Override
    public int loopWaitSeconds() {
        return 1;
    }

    @Override
    public NodeTasks tasks() {
        return this;
    }

    @Override
    public RestReply restart(RestartRequest request) {
        actions.add("restart");
        return nodeTask.get();
    }

    @Override
    public RestReply cancelScheduledRestart() {
        actions.add("cancelScheduledRestart");
        return RestReply.text(200, "scheduled restart deleted");
    }

    @Override
    public RestReply reinitialize(boolean force) {
        actions.add("reinitialize");
        return nodeTask.get();
    }

    @Override
    public RestReply reload() {
        actions.add("reload");
        return RestReply.text(202, "reload scheduled");
    }

    @Override
    public boolean failsafeMode() {
        return failsafeMode;
    }

    @Override
    public RestReply failsafe(com.fasterxml.jackson.databind.JsonNode body) {
        actions.add("failsafe");
        return RestReply.text(200, "Accepted");
    }
}
