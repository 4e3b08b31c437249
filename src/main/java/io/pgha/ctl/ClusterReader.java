package io.pgha.ctl;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The CLI's read of a cluster from etcd: one linearizable range over the prefix, no lease, no watch. */
public final class ClusterReader implements AutoCloseable {
    private final Client client;

    public ClusterReader(List<String> hosts) {
        this.client = Client.builder().endpoints(hosts.stream().map(h -> "http://" + h).toArray(String[]::new))
                .waitForReady(false).connectTimeout(Duration.ofSeconds(3)).build();
    }

    public Cluster read(String namespace, String scope) throws Exception {
        DcsKeys keys = new DcsKeys(namespace, scope);
        GetResponse r = client.getKVClient()
                .get(ByteSequence.from(keys.prefix(), StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS);
        List<ClusterParser.Entry> entries = r.getKvs().stream().map(kv -> new ClusterParser.Entry(
                kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8),
                kv.getModRevision(), kv.getLease())).toList();
        return ClusterParser.parse(keys, entries, r.getHeader().getRevision());
    }

    @Override
    public void close() {
        client.close();
    }
}
