package io.pgha.agent.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgha.config.AgentSettings;
import io.pgha.config.AgentSettingsLoader;
import java.nio.file.Path;
import java.util.Map;

/** Agent settings for one member whose data and bin directories are given, read the way the agent reads them. */
final class TestSettings {
    private TestSettings() {}

    static AgentSettings member(Path dataDir, Path binDir, String replicationPassword) throws Exception {
        String yaml = """
                scope: demo
                name: m1
                restapi:
                  listen: 127.0.0.1:8008
                  authentication: {username: u, password: p}
                etcd3:
                  hosts: 127.0.0.1:2379
                postgresql:
                  listen: 127.0.0.1:5432
                  data_dir: %s
                  bin_dir: %s
                  authentication:
                    superuser: {username: postgres, password: su-secret}
                    replication: {username: replicator, password: REPL}
                """.formatted(dataDir, binDir);
        ObjectNode root = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(yaml);
        ((ObjectNode) root.path("postgresql").path("authentication").path("replication")).put("password", replicationPassword);
        return new AgentSettingsLoader(Map.of()).parse(root);
    }
}
