package io.pgha.ctl;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CLI's etcd v3 access through jetcd: one linearizable range over the cluster prefix per read (no
 * lease, no watch, as patronictl), and single-key puts guarded by a mod-revision compare.
 */
public final class EtcdClusterStore implements ClusterStore {
    private static final long TIMEOUT_S = 10;
    private final Client client;
    private final String namespace;

    public EtcdClusterStore(CtlConfig config) {
        ClientBuilder b = Client.builder()
                .endpoints(config.requireEtcdHosts().stream().map(h -> h.contains("://") ? h : "http://" + h).toArray(String[]::new))
                .waitForReady(false).connectTimeout(Duration.ofSeconds(3));
        if (config.etcdUser() != null) {
            b.user(bytes(config.etcdUser())).password(bytes(config.etcdPassword() == null ? "" : config.etcdPassword()));
        }
        this.client = b.build();
        this.namespace = config.namespace();
    }

    @Override
    public Cluster read(String scope) {
        DcsKeys keys = new DcsKeys(namespace, scope);
        GetResponse r = await(client.getKVClient().get(bytes(keys.prefix()), GetOption.builder().isPrefix(true).build()));
        List<ClusterParser.Entry> entries = r.getKvs().stream().map(kv -> new ClusterParser.Entry(
                kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8),
                kv.getModRevision(), kv.getLease())).toList();
        return ClusterParser.parse(keys, entries, r.getHeader().getRevision());
    }

    @Override
    public boolean setConfig(String scope, String value, long expectedModRevision) {
        return put(new DcsKeys(namespace, scope).key(DcsKeys.CONFIG), value, expectedModRevision);
    }

    @Override
    public boolean setFailover(String scope, String value, long expectedModRevision) {
        return put(new DcsKeys(namespace, scope).key(DcsKeys.FAILOVER), value, expectedModRevision);
    }

    private boolean put(String key, String value, long expectedModRevision) {
        ByteSequence k = bytes(key);
        if (expectedModRevision <= 0) {
            await(client.getKVClient().put(k, bytes(value)));
            return true;
        }
        return await(client.getKVClient().txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(Op.put(k, bytes(value), PutOption.DEFAULT))
                .commit()).isSucceeded();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while talking to etcd");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new CtlException("etcd request failed: " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new CtlException("etcd did not answer within " + TIMEOUT_S + " s");
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.close();
    }
}
