package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.NOW;
import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static io.pgha.agent.rest.NodeStatusFixture.replica;
import static io.pgha.agent.rest.NodeStatusFixture.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthRulesTest {

    private static final long MB = 1L << 20;

    @ParameterizedTest(name = "{0}: GET {2} -> {3}")
    @MethodSource("situations")
    void answersLikePatroni(String situation, NodeStatusFixture node, String url, int expected) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        Map<String, String> query = RestRequest.parseQuery(q < 0 ? null : url.substring(q + 1));

        assertThat(HealthRules.statusCode(path, query, node.build(), NOW)).as(situation).isEqualTo(expected);
    }

    static Stream<Arguments> situations() {
        return Stream.of(
                // The matrix observed on a real Patroni 3.0.2 leader / replica pair (spec §5.2).
                c("leader", leader(), "/", 200),
                c("leader", leader(), "/primary", 200),
                c("leader", leader(), "/master", 200),
                c("leader", leader(), "/read-write", 200),
                c("leader", leader(), "/leader", 200),
                c("leader", leader(), "/replica", 503),
                c("leader", leader(), "/read-only", 200),
                c("leader", leader(), "/health", 200),
                c("leader", leader(), "/async", 503),
                c("leader", leader(), "/sync", 503),
                c("leader", leader(), "/replica?lag=1", 503),
                c("leader", leader(), "/replica?tag_foo=bar", 503),
                c("leader, no standby clusters", leader(), "/standby-leader", 503),
                c("leader, no standby clusters", leader(), "/standby_leader", 503),
                c("replica", replica(), "/", 503),
                c("replica", replica(), "/primary", 503),
                c("replica", replica(), "/master", 503),
                c("replica", replica(), "/leader", 503),
                c("replica", replica(), "/replica", 200),
                c("replica", replica(), "/read-only", 200),
                c("replica", replica(), "/health", 200),
                c("replica", replica(), "/async", 200),
                c("replica", replica(), "/asynchronous", 200),
                c("replica, sync mode off", replica(), "/sync", 503),
                c("replica, sync mode off", replica(), "/read-only-sync", 503),
                c("replica, not lagging", replica(), "/replica?lag=1", 200),
                c("replica without the tag", replica(), "/replica?tag_foo=bar", 503),

                // Unknown paths go to the generic check and match nothing; Patroni matches by substring.
                c("leader, unknown path", leader(), "/foo", 503),
                c("replica, unknown path", replica(), "/foo", 503),
                c("replica, path containing 'replica'", replica(), "/replica/extra", 200),
                c("leader, path containing 'leader'", leader(), "/leader/", 200),

                // PostgreSQL not running.
                c("stopped replica", stopped(), "/health", 503),
                c("stopped replica", stopped(), "/replica", 503),
                c("stopped replica", stopped(), "/read-only", 503),
                c("lock holder whose PostgreSQL is down", leader().with(n -> n.state = "starting"), "/leader", 200),
                c("lock holder whose PostgreSQL is down", leader().with(n -> n.state = "starting"), "/health", 503),

                // Lag = cluster optime − replayed location, only checked with ?lag=.
                c("replica 100MB behind, no limit", lagging(), "/replica", 200),
                c("replica 100MB behind, limit 16MB", lagging(), "/replica?lag=16MB", 503),
                c("replica 100MB behind, limit 1GB", lagging(), "/replica?lag=1GB", 200),
                c("replica 100MB behind, limit in bytes", lagging(), "/replica?lag=104857600", 200),
                c("replica 100MB behind, limit 1 byte short", lagging(), "/replica?lag=104857599", 503),
                c("replica 100MB behind, async limit 16kB", lagging(), "/async?lag=16kB", 503),
                c("replica 100MB behind, read-only limit 64MB", lagging(), "/read-only?lag=64MB", 503),
                c("replica 100MB behind, unparsable limit", lagging(), "/replica?lag=lots", 200),
                c("replica 100MB behind, empty limit", lagging(), "/replica?lag=", 200),
                c("replica 100MB behind, no cluster view", lagging().with(n -> n.dcsViewValid = false),
                        "/replica?lag=1", 200),
                c("leader ignores lag on leader paths", leader().with(n -> n.clusterOptime = 500 * MB),
                        "/primary?lag=1", 200),

                // noloadbalance keeps a replica out of read traffic but not out of /health.
                c("replica tagged noloadbalance", noLoadBalance(), "/replica", 503),
                c("replica tagged noloadbalance", noLoadBalance(), "/read-only", 503),
                c("replica tagged noloadbalance", noLoadBalance(), "/async", 503),
                c("replica tagged noloadbalance", noLoadBalance(), "/health", 200),
                c("leader tagged noloadbalance", leader().with(n -> n.tags.put("noloadbalance", true)),
                        "/read-only", 200),

                // tag_<k>=<v> filters the non-leader 200s; non-string values compare as lowercase text.
                c("tagged replica, matching string tag", tagged(), "/replica?tag_zone=a", 200),
                c("tagged replica, other string tag", tagged(), "/replica?tag_zone=b", 503),
                c("tagged replica, boolean tag as true", tagged(), "/replica?tag_nofailover=true", 200),
                c("tagged replica, boolean tag as True", tagged(), "/replica?tag_nofailover=True", 503),
                c("tagged replica, numeric tag", tagged(), "/replica?tag_failover_priority=1", 200),
                c("tagged replica, all tags match", tagged(), "/read-only?tag_zone=a&tag_nofailover=true", 200),
                c("tagged replica, one of two tags differs", tagged(), "/read-only?tag_zone=a&tag_nofailover=false", 503),
                c("tagged replica, unknown tag", tagged(), "/replica?tag_rack=7", 503),
                c("tagged replica, non-tag parameters ignored", tagged(), "/replica?foo=bar", 200),
                c("tagged replica, health is filtered too", tagged(), "/health?tag_zone=b", 503),
                c("leader, tags ignored on /leader", leader(), "/leader?tag_zone=b", 200),
                c("leader, tags ignored on /primary", leader(), "/primary?tag_zone=b", 200),
                c("leader, tags apply on /read-only", leader(), "/read-only?tag_zone=b", 503),

                // Synchronous mode.
                c("sync standby", syncStandby(), "/sync", 200),
                c("sync standby", syncStandby(), "/synchronous", 200),
                c("sync standby", syncStandby(), "/async", 503),
                c("sync standby", syncStandby(), "/read-only-sync", 200),
                c("sync standby", syncStandby(), "/read-only-synchronous", 200),
                c("sync standby", syncStandby(), "/replica", 200),
                c("sync standby without cluster view", syncStandby().with(n -> n.dcsViewValid = false), "/sync", 503),
                c("leader, read-only-sync", leader(), "/read-only-sync", 200),
                c("leader without cluster view, read-only-sync", leader().with(n -> n.dcsViewValid = false),
                        "/read-only-sync", 503),

                // Paused with no cluster view: leader paths follow PostgreSQL's role, not the lock.
                c("paused primary without cluster view", pausedPrimaryNoView(), "/primary", 200),
                c("paused primary without cluster view", pausedPrimaryNoView(), "/leader", 200),
                c("paused replica without cluster view", replica().with(n -> {
                    n.paused = true;
                    n.dcsViewValid = false;
                }), "/leader", 503),
                c("paused primary with cluster view, lock not held", pausedPrimaryNoView()
                        .with(n -> n.dcsViewValid = true), "/primary", 503),

                // /liveness: the last loop started less than loop_wait + ttl (primary) or + 2×ttl (replica) ago.
                c("leader, loop just ran", leader(), "/liveness", 200),
                c("leader, loop started 39 s ago", leader().with(loopStartedAgo(39)), "/liveness", 200),
                c("leader, loop started 40 s ago", leader().with(loopStartedAgo(40)), "/liveness", 503),
                c("replica, loop started 41 s ago", replica().with(loopStartedAgo(41)), "/liveness", 200),
                c("replica, loop started 70 s ago", replica().with(loopStartedAgo(70)), "/liveness", 503),
                c("primary role but PostgreSQL down, 41 s ago", leader().with(loopStartedAgo(41))
                        .with(n -> n.state = "stopped"), "/liveness", 200),
                c("leader stalled but paused", leader().with(loopStartedAgo(3600)).with(n -> n.paused = true),
                        "/liveness", 200),
                c("agent never ran a loop", replica().with(n -> n.lastLoopStartMillis = 0), "/liveness", 503),

                // /readiness: the lock, or running PostgreSQL with a valid cluster view.
                c("leader", leader(), "/readiness", 200),
                c("lock holder whose PostgreSQL is down", leader().with(n -> n.state = "stopped"), "/readiness", 200),
                c("replica", replica(), "/readiness", 200),
                c("replica without cluster view", replica().with(n -> n.dcsViewValid = false), "/readiness", 503),
                c("stopped replica", stopped(), "/readiness", 503));
    }

    private static Arguments c(String situation, NodeStatusFixture node, String url, int expected) {
        return Arguments.of(situation, node, url, expected);
    }

    private static NodeStatusFixture lagging() {
        return replica().with(n -> {
            n.clusterOptime = 100 * MB + 4096;
            n.replayedLocation = 4096L;
        });
    }

    private static NodeStatusFixture noLoadBalance() {
        return replica().with(n -> n.tags.put("noloadbalance", true));
    }

    private static NodeStatusFixture tagged() {
        return replica().with(n -> {
            n.tags.put("zone", "a");
            n.tags.put("nofailover", true);
            n.tags.put("failover_priority", 1);
        });
    }

    private static NodeStatusFixture syncStandby() {
        return replica().with(n -> n.syncStandby = true);
    }

    private static NodeStatusFixture pausedPrimaryNoView() {
        return leader().with(n -> {
            n.holdsLeaderLock = false;
            n.paused = true;
            n.dcsViewValid = false;
        });
    }

    private static java.util.function.Consumer<NodeStatusFixture> loopStartedAgo(int seconds) {
        return n -> n.lastLoopStartMillis = NOW - seconds * 1000L;
    }
}
