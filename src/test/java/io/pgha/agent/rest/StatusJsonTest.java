package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static io.pgha.agent.rest.NodeStatusFixture.replica;
import static io.pgha.agent.rest.NodeStatusFixture.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void primaryBodyHasTheShapePatroniPublishes() throws Exception {
        JsonNode actual = MAPPER.readTree(StatusJson.toBytes(leader().build()));

        assertThat(actual).isEqualTo(MAPPER.readTree("""
                {"state":"running","postmaster_start_time":"2026-11-27 20:24:21.411397+00:00","role":"master",
                 "server_version":150018,"xlog":{"location":67108960},"timeline":1,
                 "replication":[{"usename":"replicator","application_name":"node2","client_addr":"127.0.0.1",
                                 "state":"streaming","sync_state":"async","sync_priority":0}],
                 "dcs_last_seen":1795811108,"database_system_identifier":"7712949774016736841",
                 "patroni":{"version":"3.0.2","scope":"demo","name":"node1"}}
                """));
    }

    @Test
    void replicaBodyReportsReceivedAndReplayedPositions() throws Exception {
        NodeStatus s = replica().with(n -> {
            n.receivedLocation = 67_200_000L;
            n.replayedLocation = 67_108_960L;
            n.replayedTimestamp = "2026-11-27 20:30:00.000000+00:00";
            n.syncStandby = true;
            n.tags.put("nofailover", true);
            n.tags.put("zone", "a");
        }).build();

        JsonNode actual = MAPPER.readTree(StatusJson.toBytes(s));

        assertThat(actual).isEqualTo(MAPPER.readTree("""
                {"state":"running","postmaster_start_time":"2026-11-27 20:24:21.411397+00:00","role":"replica",
                 "server_version":150018,
                 "xlog":{"received_location":67200000,"replayed_location":67108960,
                         "replayed_timestamp":"2026-11-27 20:30:00.000000+00:00","paused":false},
                 "sync_standby":true,"timeline":1,"replication_state":"streaming",
                 "dcs_last_seen":1795811108,"tags":{"nofailover":true,"zone":"a"},
                 "database_system_identifier":"7712949774016736841",
                 "patroni":{"version":"3.0.2","scope":"demo","name":"node2"}}
                """));
    }

    @Test
    void replicaWithoutWalReceiverFallsBackToReplayedAndKeepsNullTimestamp() throws Exception {
        NodeStatus s = replica().with(n -> n.receivedLocation = null).build();

        JsonNode xlog = MAPPER.readTree(StatusJson.toBytes(s)).get("xlog");

        assertThat(xlog).isEqualTo(MAPPER.readTree("""
                {"received_location":67108960,"replayed_location":67108960,"replayed_timestamp":null,"paused":false}
                """));
    }

    @Test
    void stoppedNodeInTroubleShowsOnlyWhatIsKnownPlusTheFlags() throws Exception {
        NodeStatus s = stopped().with(n -> {
            n.paused = true;
            n.clusterUnlocked = true;
            n.pendingRestart = true;
            n.systemIdentifier = null;
            n.replication = null;
        }).build();

        JsonNode actual = MAPPER.readTree(StatusJson.toBytes(s));

        assertThat(actual).isEqualTo(MAPPER.readTree("""
                {"state":"stopped","role":"replica","pause":true,"cluster_unlocked":true,
                 "dcs_last_seen":1795811108,"pending_restart":true,
                 "patroni":{"version":"3.0.2","scope":"demo","name":"node2"}}
                """));
    }
}
