package io.pgha.agent.rest;

import io.pgha.agent.ha.ReplicationRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable builder of {@link NodeStatus} for tests: start from a typical leader or replica, then adjust. */
final class NodeStatusFixture {

    static final long NOW = 1_800_000_000_000L;

    String scope = "demo";
    String name = "node1";
    String agentVersion = "3.0.2";
    String state = "running";
    String role = "master";
    String postmasterStartTime = "2026-11-27 20:24:21.411397+00:00";
    Integer serverVersion = 150018;
    Long xlogLocation;
    Long receivedLocation;
    Long replayedLocation;
    String replayedTimestamp;
    Boolean replayPaused;
    Integer timeline = 1;
    String replicationState;
    List<ReplicationRow> replication = List.of();
    boolean holdsLeaderLock;
    boolean clusterUnlocked;
    boolean paused;
    boolean syncStandby;
    Long clusterOptime = 67_108_960L;
    long dcsLastSeen = 1_795_811_108L;
    boolean dcsViewValid = true;
    String systemIdentifier = "7712949774016736841";
    Map<String, Object> tags = new LinkedHashMap<>();
    boolean pendingRestart;
    long lastLoopStartMillis = NOW - 1_000;
    int loopWaitSeconds = 10;
    int ttlSeconds = 30;
    String safetyFault;

    static NodeStatusFixture leader() {
        NodeStatusFixture f = new NodeStatusFixture();
        f.holdsLeaderLock = true;
        f.xlogLocation = 67_108_960L;
        f.replication = List.of(
                new ReplicationRow("replicator", "node2", "127.0.0.1", "streaming", "async", 0));
        return f;
    }

    static NodeStatusFixture replica() {
        NodeStatusFixture f = new NodeStatusFixture();
        f.name = "node2";
        f.role = "replica";
        f.receivedLocation = 67_108_960L;
        f.replayedLocation = 67_108_960L;
        f.replayPaused = false;
        f.replicationState = "streaming";
        return f;
    }

    static NodeStatusFixture stopped() {
        NodeStatusFixture f = replica();
        f.state = "stopped";
        f.postmasterStartTime = null;
        f.serverVersion = null;
        f.receivedLocation = null;
        f.replayedLocation = null;
        f.replayPaused = null;
        f.timeline = null;
        f.replicationState = null;
        return f;
    }

    NodeStatusFixture with(java.util.function.Consumer<NodeStatusFixture> change) {
        change.accept(this);
        return this;
    }

    NodeStatus build() {
        return new NodeStatus(scope, name, agentVersion, state, role, postmasterStartTime, serverVersion,
                xlogLocation, receivedLocation, replayedLocation, replayedTimestamp, replayPaused, timeline,
                replicationState, replication, holdsLeaderLock, clusterUnlocked, paused, syncStandby,
                clusterOptime, dcsLastSeen, dcsViewValid, systemIdentifier, tags, pendingRestart,
                lastLoopStartMillis, loopWaitSeconds, ttlSeconds, safetyFault);
    }
}
