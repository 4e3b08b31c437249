package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.config.DcsTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFileTest {

    @TempDir
    Path dir;

    private ClusterFile sample() {
        LocalLayout l = LocalLayout.fromPortBase(dir, "pgha-local", 2, 16000, new DcsTiming(10, 2, 4));
        Pids pids = new Pids();
        pids.setEtcd("e1", 101L);
        pids.setAgent("m1", 201L);
        pids.setPgbouncer("m2", 302L);
        pids.setHaproxy(400L);
        return ClusterFile.of(l, "postgres", dir.resolve("secrets/postgres.password"), pids);
    }

    @Test
    void the_json_has_exactly_the_agreed_field_names() throws Exception {
        JsonNode j = new ObjectMapper().readTree(sample().toJson());

        assertThat(names(j)).containsExactly("scope", "namespace", "etcd", "haproxy", "superuser", "members", "timing");
        assertThat(names(j.path("etcd"))).containsExactly("endpoints", "members");
        assertThat(names(j.at("/etcd/members/0"))).containsExactly("name", "clientPort", "peerPort", "pid", "agentPort");
        assertThat(names(j.path("haproxy"))).containsExactly("readWritePort", "readOnlyPort", "statsPort", "pid");
        assertThat(names(j.path("superuser"))).containsExactly("username", "passwordFile");
        assertThat(names(j.at("/members/0"))).containsExactly("name", "host", "postgresPort", "pgbouncerPort",
                "restPort", "restUrl", "dataDir", "agentPid", "pgbouncerPid", "advertisedPostgresPort");
        assertThat(names(j.path("timing"))).containsExactly("ttl", "loopWait", "retryTimeout");
    }

    @Test
    void the_values_describe_the_layout_and_unknown_pids_are_null() throws Exception {
        JsonNode j = new ObjectMapper().readTree(sample().toJson());

        assertThat(j.path("namespace").asText()).isEqualTo("/service/");
        assertThat(j.at("/etcd/endpoints/2").asText()).isEqualTo("127.0.0.1:16013");
        assertThat(j.at("/etcd/members/0/pid").asLong()).isEqualTo(101);
        assertThat(j.at("/etcd/members/1/pid").isNull()).isTrue();
        assertThat(j.at("/members/1/restUrl").asText()).isEqualTo("http://127.0.0.1:16302/patroni");
        assertThat(j.at("/members/1/host").asText()).isEqualTo("127.0.0.1");
        assertThat(j.at("/members/1/dataDir").asText()).isEqualTo(dir.resolve("m2/data").toString());
        assertThat(j.at("/members/1/pgbouncerPid").asLong()).isEqualTo(302);
        assertThat(j.at("/haproxy/readWritePort").asInt()).isEqualTo(16000);
        assertThat(j.at("/timing/retryTimeout").asInt()).isEqualTo(4);
    }

    @Test
    void written_and_read_back_it_gives_the_same_layout_and_pids() {
        ClusterFile f = sample();
        Path file = dir.resolve("cluster.json");

        f.write(file);
        ClusterFile read = ClusterFile.read(file);

        assertThat(read).isEqualTo(f);
        assertThat(read.layout(dir)).isEqualTo(LocalLayout.fromPortBase(dir, "pgha-local", 2, 16000, new DcsTiming(10, 2, 4)));
        assertThat(read.pids().agent("m1")).isEqualTo(201L);
        assertThat(read.pids().agent("m2")).isNull();
        assertThat(Files.exists(dir.resolve("cluster.json.tmp"))).isFalse();
    }

    @Test
    void the_advertised_postgres_port_is_kept_and_a_file_without_it_advertises_the_postgres_port() throws Exception {
        LocalLayout offset = LocalLayout.fromPortBase(dir, "pgha-local", 2, 16000, new DcsTiming(10, 2, 4))
                .withPostgresAdvertiseOffset(400);
        Path file = dir.resolve("cluster.json");
        ClusterFile.of(offset, "postgres", dir.resolve("pw"), new Pids()).write(file);

        assertThat(ClusterFile.read(file).layout(dir).member("m2").advertisedPostgresPort()).isEqualTo(16502);

        ObjectMapper json = new ObjectMapper();
        JsonNode old = json.readTree(sample().toJson());
        old.path("members").forEach(m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m).remove("advertisedPostgresPort"));
        Files.writeString(file, json.writeValueAsString(old));

        assertThat(ClusterFile.read(file).layout(dir).member("m2").advertisedPostgresPort()).isEqualTo(16102);
    }

    @Test
    void where_the_agents_reach_etcd_is_kept_and_a_file_without_it_reaches_the_client_ports() throws Exception {
        LocalLayout offset = LocalLayout.fromPortBase(dir, "pgha-local", 2, 16000, new DcsTiming(10, 2, 4))
                .withEtcdAgentOffset(470);
        Path file = dir.resolve("cluster.json");
        ClusterFile.of(offset, "postgres", dir.resolve("pw"), new Pids()).write(file);

        assertThat(ClusterFile.read(file).layout(dir).agentEtcdHosts())
                .containsExactly("127.0.0.1:16481", "127.0.0.1:16482", "127.0.0.1:16483");
        assertThat(new ObjectMapper().readTree(sample().toJson()).at("/etcd/members/0/agentPort").isNull()).isTrue();

        ObjectMapper json = new ObjectMapper();
        JsonNode old = json.readTree(sample().toJson());
        old.at("/etcd/members").forEach(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e).remove("agentPort"));
        Files.writeString(file, json.writeValueAsString(old));

        assertThat(ClusterFile.read(file).layout(dir).agentEtcdHosts())
                .containsExactly("127.0.0.1:16011", "127.0.0.1:16012", "127.0.0.1:16013");
    }

    @Test
    void a_broken_file_is_bad_input() throws Exception {
        Path file = Files.writeString(dir.resolve("cluster.json"), "{ not json");

        LocalLayoutTest.assertBadInput(() -> ClusterFile.read(file), "cannot read");
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
