package io.pgha.agent.dcs;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** {@link EtcdKv} on a real etcd through jetcd: every call hedged within the timeout ({@link HedgedCall}). */
final class JetcdKv implements EtcdKv {
    private final Client client;
    private final KV kv;
    private volatile Duration timeout;
    /** How long an answered etcd call takes, on average of late (the hedging's pace, see HedgedCall). */
    private volatile long typicalCallNanos;

    JetcdKv(List<String> hosts, io.pgha.config.AgentSettings.EtcdTls tls, Duration timeout) {
        io.etcd.jetcd.ClientBuilder b = Client.builder();
        if (tls != null) {
            b.sslContext(sslContext(tls));
        }
        this.client = b
                .endpoints(hosts.stream().map(h -> (tls == null ? "http://" : "https://") + h).toArray(String[]::new))
                .waitForReady(false)
                .loadBalancerPolicy("round_robin")
                .connectTimeout(Duration.ofSeconds(2))
                .retryMaxAttempts(1)
                .retryMaxDuration(timeout)
                .keepaliveTime(Duration.ofSeconds(5))
                .keepaliveTimeout(Duration.ofSeconds(2))
                .build();
        this.kv = client.getKVClient();
        this.timeout = timeout;
    }

    private static io.netty.handler.ssl.SslContext sslContext(io.pgha.config.AgentSettings.EtcdTls tls) {
        try {
            io.netty.handler.ssl.SslContextBuilder b = io.grpc.netty.GrpcSslContexts.forClient();
            if (tls.caCert() != null) {
                b.trustManager(tls.caCert().toFile());
            }
            if (tls.cert() != null) {
                b.keyManager(tls.cert().toFile(), tls.key().toFile());
            }
            return b.build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("etcd3 TLS: cannot use " + tls.caCert() + ", " + tls.cert() + ", " + tls.key()
                    + " (certificates and an unencrypted key in PEM): " + e.getMessage(), e);
        }
    }

    @Override
    public void timeout(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Range range(String prefix, boolean serializable, String what) throws DcsException {
        var r = call(() -> kv.get(bytes(prefix), GetOption.builder().isPrefix(true).withSerializable(serializable).build()), what);
        return new Range(entries(r.getKvs()), r.getHeader().getRevision());
    }

    @Override
    public long grant(int ttlSeconds) throws DcsException {
        return call(() -> client.getLeaseClient().grant(ttlSeconds), "grant lease").getID();
    }

    @Override
    public long keepAliveOnce(long lease) throws DcsException {
        try {
            return Math.max(0, call(() -> client.getLeaseClient().keepAliveOnce(lease), "renew lease").getTTL());
        } catch (DcsException e) {
            if (leaseNotFound(e)) {
                return 0;
            }
            throw e;
        }
    }

    /** etcd answers a keep-alive of an expired lease with NOT_FOUND ("requested lease not found"). */
    private static boolean leaseNotFound(DcsException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EtcdException ee && ee.getErrorCode() == ErrorCode.NOT_FOUND) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("lease not found")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void revoke(long lease) throws DcsException {
        call(() -> client.getLeaseClient().revoke(lease), "revoke lease");
    }

    @Override
    public TxnResult txn(Txn txn, String what) throws DcsException {
        return result(call(() -> kv.txn().If(cmps(txn)).Then(ops(txn.then())).Else(ops(txn.otherwise())).commit(), what));
    }

    @Override
    public TxnResult txnOnce(Txn txn, String what) throws DcsException {
        return result(HedgedCall.await(kv.txn().If(cmps(txn)).Then(ops(txn.then())).Else(ops(txn.otherwise())).commit(),
                timeout.toNanos(), what));
    }

    @Override
    public long put(String key, String value, String what) throws DcsException {
        return call(() -> kv.put(bytes(key), bytes(value)), what).getHeader().getRevision();
    }

    @Override
    public void delete(String key, String what) throws DcsException {
        call(() -> kv.delete(bytes(key)), what);
    }

    @Override
    public AutoCloseable watch(String prefix, long fromRevision, Consumer<List<Event>> onEvents, Consumer<Throwable> onError) {
        WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
        Watch.Watcher w = client.getWatchClient().watch(bytes(prefix), opt, Watch.listener(resp -> onEvents.accept(
                resp.getEvents().stream().map(e -> new Event(e.getKeyValue().getKey().toString(StandardCharsets.UTF_8),
                        e.getKeyValue().getModRevision(), e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE))
                        .toList()), onError::accept));
        return w::close;
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T call(Supplier<CompletableFuture<T>> op, String what) throws DcsException {
        long t0 = System.nanoTime();
        T result = HedgedCall.run(op, timeout, what, typicalCallNanos);
        long took = System.nanoTime() - t0;
        long typical = typicalCallNanos;
        typicalCallNanos = typical == 0 ? took : (typical * 7 + took) / 8; // a moving average of answered calls
        return result;
    }

    private static io.etcd.jetcd.op.Cmp[] cmps(Txn t) {
        return t.ifs().stream().map(c -> new io.etcd.jetcd.op.Cmp(bytes(c.key()), io.etcd.jetcd.op.Cmp.Op.EQUAL,
                switch (c.target()) {
                    case VALUE -> CmpTarget.value(bytes(c.value()));
                    case CREATE_REVISION -> CmpTarget.createRevision(c.revision());
                    case MOD_REVISION -> CmpTarget.modRevision(c.revision());
                })).toArray(io.etcd.jetcd.op.Cmp[]::new);
    }

    private static io.etcd.jetcd.op.Op[] ops(List<Op> ops) {
        return ops.stream().map(JetcdKv::op).toArray(io.etcd.jetcd.op.Op[]::new);
    }

    private static io.etcd.jetcd.op.Op op(Op o) {
        if (o instanceof Put p) {
            return io.etcd.jetcd.op.Op.put(bytes(p.key()), bytes(p.value()),
                    p.lease() == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(p.lease()).build());
        }
        if (o instanceof Get g) {
            return io.etcd.jetcd.op.Op.get(bytes(g.key()), GetOption.DEFAULT);
        }
        if (o instanceof Delete d) {
            return io.etcd.jetcd.op.Op.delete(bytes(d.key()), DeleteOption.DEFAULT);
        }
        Txn t = ((Nested) o).txn();
        return io.etcd.jetcd.op.Op.txn(cmps(t), ops(t.then()), ops(t.otherwise()));
    }

    private static TxnResult result(TxnResponse r) {
        List<Entry> got = new ArrayList<>();
        r.getGetResponses().forEach(g -> got.addAll(entries(g.getKvs())));
        return new TxnResult(r.isSucceeded(), r.getHeader().getRevision(), got,
                r.getTxnResponses().stream().map(JetcdKv::result).toList());
    }

    private static List<Entry> entries(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> new Entry(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8),
                kv.getCreateRevision(), kv.getModRevision(), kv.getLease())).toList();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
