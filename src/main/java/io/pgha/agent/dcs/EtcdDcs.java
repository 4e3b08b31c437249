package io.pgha.agent.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DCS on etcd v3, in Patroni's key layout (patroni-compat.md §1). One lease per agent carries the member
 * key and, while leader, the leader key. The lease is renewed only by explicit calls from the HA loop
 * (never by a background stream), so a stuck loop stops renewing and the lease expires as it must.
 */
public final class EtcdDcs implements LeaderLease, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdDcs.class);

    private final Client client;
    private final KV kv;
    private final DcsKeys keys;
    private final String me;
    private final String logPrefix;
    private volatile Duration timeout;
    private volatile int ttlSeconds;

    private volatile long leaseId;
    /** Highest etcd revision any read has shown; a read behind it comes from a lagging member. */
    /**
     * The newest revision this agent knows exists (from its reads, its own writes and watch events): a
     * serializable read older than that comes from a lagging etcd member and is repeated linearizably.
     */
    private final java.util.concurrent.atomic.AtomicLong highestRevision = new java.util.concurrent.atomic.AtomicLong();
    /** System.nanoTime() before which etcd cannot have expired our lease (send time of the last good renewal + ttl). */
    private volatile long leaseValidUntilNanos;
    private long lastKeepAliveNanos;
    private boolean regrant;
    /** The lease our leader key is known to sit on (etcd said so in a transaction); 0 when we hold no key. */
    private long leaderLeaseId;
    /** The lease replaced by a ttl change, which still carries the leader key until refreshLeader moves it. */
    private long previousLeaseId;
    private long previousLeaseValidUntilNanos;
    /** End of the lease that carries our leader key (see {@link #leaderValidUntilNanos()}), one volatile read. */
    private volatile long leaderValidUntilNanos;
    /** How long an answered etcd call takes, on average of late (the hedging's pace, see HedgedCall). */
    private volatile long typicalCallNanos;
    private String lastMemberJson;
    private Watch.Watcher watcher;

    public EtcdDcs(List<String> hosts, DcsKeys keys, String me, String scope, int ttlSeconds, Duration timeout) {
        this(hosts, null, keys, me, scope, ttlSeconds, timeout);
    }

    /** @param tls TLS to etcd (CA, optional client certificate), or null for plain HTTP */
    public EtcdDcs(List<String> hosts, io.pgha.config.AgentSettings.EtcdTls tls, DcsKeys keys, String me, String scope,
                   int ttlSeconds, Duration timeout) {
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
        this.keys = keys;
        this.me = me;
        this.logPrefix = "[" + scope + "/" + me + "] ";
        this.ttlSeconds = ttlSeconds;
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

    public void setTiming(int ttlSeconds, Duration timeout) {
        if (ttlSeconds != this.ttlSeconds) {
            // A lease keeps the TTL it was granted with: a new one is granted on the next renewal.
            LOG.info("{}ttl changed from {} to {} s: a new lease will be granted", logPrefix, this.ttlSeconds, ttlSeconds);
            this.ttlSeconds = ttlSeconds;
            // keep the current lease (and its known validity) until the new one is granted: the fence must not
            // mistake a timing change for a lost lease
            this.regrant = true;
        }
        this.timeout = timeout;
    }

    /** Until when (System.nanoTime) our lease is certainly still valid in etcd; 0 if we hold none. */
    public long leaseValidUntilNanos() {
        return leaseId == 0 ? 0 : leaseValidUntilNanos;
    }

    /**
     * The fence's authority: not the end of whatever lease we hold, but of the one our leader key sits on. A
     * lease granted after the old one expired carries no leader key (it died with the old lease), and after a
     * ttl change the key stays on the old lease until a transaction moves it.
     */
    @Override
    public long leaderValidUntilNanos() {
        return leaderValidUntilNanos;
    }

    /** Called under this object's lock after every change of the leases or of where the leader key sits. */
    private void recomputeAuthority() {
        long id = leaderLeaseId;
        if (id != 0 && id == leaseId) {
            leaderValidUntilNanos = leaseValidUntilNanos;
        } else if (id != 0 && id == previousLeaseId) {
            leaderValidUntilNanos = previousLeaseValidUntilNanos;
        } else {
            leaderValidUntilNanos = 0;
        }
    }

    private void leaderKeyOn(long lease) {
        leaderLeaseId = lease;
        recomputeAuthority();
    }

    // ------------------------------------------------------------------ reads

    /**
     * The whole cluster in one range read. Serializable (any etcd member answers, no quorum round), except
     * when that member is behind what we have already seen: then once more, linearizably, so a lagging
     * member can never show us an older leader than we know of.
     */
    public Cluster read() throws DcsException {
        GetResponse r = call(() -> kv.get(bytes(keys.prefix()), GetOption.builder().isPrefix(true).withSerializable(true).build()), "read cluster");
        if (r.getHeader().getRevision() < highestRevision.get()) {
            r = call(() -> kv.get(bytes(keys.prefix()), GetOption.builder().isPrefix(true).withSerializable(false).build()), "read cluster");
        }
        seen(r.getHeader().getRevision());
        return ClusterParser.parse(keys, entries(r.getKvs()), r.getHeader().getRevision());
    }

    // ------------------------------------------------------------------ lease

    /** Makes sure we hold a live lease, granting one if needed; refreshes it when older than {@code maxAge}. */
    public synchronized void ensureLease(Duration maxAge) throws DcsException {
        long now = System.nanoTime();
        if (leaseId != 0 && !regrant && now - lastKeepAliveNanos < maxAge.toNanos()) {
            return;
        }
        if (leaseId != 0 && !regrant) {
            long sent = System.nanoTime();
            long id = leaseId;
            try {
                long ttl = call(() -> client.getLeaseClient().keepAliveOnce(id), "renew lease").getTTL();
                if (ttl > 0) {
                    markRenewed(sent);
                    return;
                }
            } catch (DcsException e) {
                if (!leaseNotFound(e)) {
                    throw e;
                }
            }
            // expired (the agent was stopped or cut off for longer than ttl): whatever sat on it is gone too
            LOG.warn("{}lease {} has expired: granting a new one", logPrefix, Long.toHexString(id));
            leaseId = 0;
            leaseValidUntilNanos = 0;
            leaderLeaseId = 0; // the leader key, if we had one, died with the lease
            recomputeAuthority();
        }
        long sent = System.nanoTime();
        long granted = call(() -> client.getLeaseClient().grant(ttlSeconds), "grant lease").getID();
        if (regrant && leaseId != 0) {
            // the leader key still sits on the old lease: the authority stays that lease's until refreshLeader()
            // moves the key (and the old lease runs out on its own)
            previousLeaseId = leaseId;
            previousLeaseValidUntilNanos = Math.min(leaseValidUntilNanos, sent + TimeUnit.SECONDS.toNanos(ttlSeconds));
        }
        leaseValidUntilNanos = sent + TimeUnit.SECONDS.toNanos(ttlSeconds);
        regrant = false;
        leaseId = granted;
        lastKeepAliveNanos = sent;
        lastMemberJson = null; // the member key must be re-put on the new lease
        recomputeAuthority();
    }

    /**
     * For the HA thread between the steps of a cycle: a keep-alive when half the lease has gone since the last
     * one. With etcd slow everywhere (0.85 s a call) a leader's cycle of five or six calls outlasted ttl minus
     * the fence's margin, and the fence stopped a healthy primary once a lease period (hole 6 of issue 11). Only
     * the HA thread calls this (never a REST handler): a renewal must still prove that the loop runs. A failed
     * keep-alive here changes nothing; the cycle's own refresh decides.
     */
    public void keepLeaseFresh() {
        long since;
        synchronized (this) {
            if (leaseId == 0 || regrant) {
                return;
            }
            since = System.nanoTime() - lastKeepAliveNanos;
        }
        if (since < TimeUnit.SECONDS.toNanos(ttlSeconds) / 2) {
            return;
        }
        try {
            ensureLease(Duration.ZERO);
        } catch (DcsException e) {
            LOG.debug("{}keep-alive between steps failed: {}", logPrefix, e.getMessage());
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

    private void markRenewed(long sentNanos) {
        lastKeepAliveNanos = sentNanos;
        leaseValidUntilNanos = sentNanos + TimeUnit.SECONDS.toNanos(ttlSeconds);
        recomputeAuthority();
    }

    // ------------------------------------------------------------------ member key

    /** Publishes members/&lt;me&gt; on our lease, skipping the write when nothing changed. */
    public synchronized void touchMember(JsonNode data) throws DcsException {
        ensureLease(Duration.ofSeconds(Math.max(1, ttlSeconds / 3)));
        String json = data.toString();
        if (json.equals(lastMemberJson)) {
            return;
        }
        call(() -> kv.put(bytes(keys.member(me)), bytes(json), PutOption.builder().withLeaseId(leaseId).build()), "write member key");
        lastMemberJson = json;
    }

    // ------------------------------------------------------------------ leader key

    /** The bootstrap race's end: create the leader key on our lease if nobody holds it. */
    public boolean acquireLeader() throws DcsException {
        return acquireLeader(-1);
    }

    /**
     * The failover race: create the leader key on our lease if nobody holds it and, unless
     * {@code syncModRevision} is -1, the {@code sync} key is still the one the decision read (0: still absent).
     * In synchronous mode a member may only race if the sync key lists it; a view read from a lagging etcd member
     * can show an old sync key, and without this comparison the race would be decided on it (hole 8 of issue 11).
     */
    public synchronized boolean acquireLeader(long syncModRevision) throws DcsException {
        // a lease renewed in the last half second is fresh enough to attach the key to; skipping the
        // keep-alive saves a round trip at the moment every millisecond of the failover counts
        ensureLease(Duration.ofMillis(500));
        ByteSequence k = bytes(keys.key(DcsKeys.LEADER));
        long lease = leaseId;
        ByteSequence sync = bytes(keys.key(DcsKeys.SYNC));
        Cmp free = new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
        Cmp[] cmps = syncModRevision < 0 ? new Cmp[] {free}
                : new Cmp[] {free, syncModRevision == 0 ? new Cmp(sync, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                        : new Cmp(sync, Cmp.Op.EQUAL, CmpTarget.modRevision(syncModRevision))};
        TxnResponse r = call(() -> kv.txn()
                .If(cmps)
                .Then(Op.put(k, bytes(me), PutOption.builder().withLeaseId(lease).build()))
                .commit(), "acquire leader key");
        if (r.isSucceeded()) {
            leaderKeyOn(lease);
        }
        return r.isSucceeded();
    }

    /**
     * Renews the leader lease (forced keep-alive) and checks with etcd itself, not with the possibly stale
     * read, that the key still names us on this lease. If it sits on an older lease of ours, rewrite it only
     * while its value is still our name, or if it vanished. Returns false when the lock is lost.
     */
    public synchronized boolean refreshLeader() throws DcsException {
        ensureLease(Duration.ZERO);
        ByteSequence k = bytes(keys.key(DcsKeys.LEADER));
        long lease = leaseId;
        TxnResponse check = call(() -> kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bytes(me))))
                .Then(Op.get(k, GetOption.DEFAULT))
                .commit(), "check leader key");
        if (check.isSucceeded() && !check.getGetResponses().isEmpty()
                && check.getGetResponses().get(0).getKvs().stream().anyMatch(kv -> kv.getLease() == lease)) {
            leaderKeyOn(lease);
            return true;
        }
        if (!check.isSucceeded()) {
            leaderKeyOn(0); // the key does not name us: whatever lease we thought it sat on, it is not ours now
        }
        Op put = Op.put(k, bytes(me), PutOption.builder().withLeaseId(lease).build());
        TxnResponse r = call(() -> kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bytes(me))))
                .Then(put)
                .Else(Op.txn(new Cmp[] {new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0))}, new Op[] {put}, new Op[0]))
                .commit(), "refresh leader key");
        boolean ours = r.isSucceeded() || (!r.getTxnResponses().isEmpty() && r.getTxnResponses().get(0).isSucceeded());
        leaderKeyOn(ours ? lease : 0);
        return ours;
    }

    /** Deletes the leader key only while it still names us (clean shutdown, switchover). */
    public synchronized boolean releaseLeader() throws DcsException {
        ByteSequence k = bytes(keys.key(DcsKeys.LEADER));
        TxnResponse r = call(() -> kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bytes(me))))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .commit(), "release leader key");
        leaderKeyOn(0); // deleted, or it did not name us anyway
        return r.isSucceeded();
    }

    /** Revokes our lease: member key (and leader key, if any) vanish at once. Used on clean shutdown. */
    public synchronized void revokeLease() throws DcsException {
        if (leaseId != 0) {
            long id = leaseId;
            leaseId = 0;
            leaderKeyOn(0);
            call(() -> client.getLeaseClient().revoke(id), "revoke lease");
        }
    }

    // ------------------------------------------------------------------ bootstrap keys

    /** Races for the initialize key; the winner bootstraps the cluster. */
    public boolean raceInitialize() throws DcsException {
        ByteSequence k = bytes(keys.key(DcsKeys.INITIALIZE));
        // not retried: a retry after a lost answer would see our own key and report the race as lost
        return await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, bytes(""), PutOption.DEFAULT))
                .commit(), timeout.toNanos(), "race for initialize").isSucceeded();
    }

    public void deleteInitialize() throws DcsException {
        call(() -> kv.delete(bytes(keys.key(DcsKeys.INITIALIZE))), "delete initialize");
    }

    private void seen(long revision) {
        highestRevision.accumulateAndGet(revision, Math::max);
    }

    public void put(String suffix, String value) throws DcsException {
        seen(call(() -> kv.put(bytes(keys.key(suffix)), bytes(value)), "write " + suffix).getHeader().getRevision());
    }

    /** Put with compare-and-set on mod_revision (0 = the key must not exist). */
    public boolean putIfModRevision(String suffix, String value, long modRevision) throws DcsException {
        ByteSequence k = bytes(keys.key(suffix));
        Cmp cmp = modRevision == 0 ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision));
        TxnResponse r = call(() -> kv.txn().If(cmp).Then(Op.put(k, bytes(value), PutOption.DEFAULT)).commit(), "write " + suffix);
        seen(r.getHeader().getRevision());
        return r.isSucceeded();
    }

    /** Delete with compare-and-set on mod_revision. */
    public boolean deleteIfModRevision(String suffix, long modRevision) throws DcsException {
        ByteSequence k = bytes(keys.key(suffix));
        Cmp cmp = new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision));
        TxnResponse r = call(() -> kv.txn().If(cmp).Then(Op.delete(k, DeleteOption.DEFAULT)).commit(), "delete " + suffix);
        seen(r.getHeader().getRevision());
        return r.isSucceeded();
    }

    // ------------------------------------------------------------------ watch

    /** Calls {@code onChange} when leader, config, status, failover, sync or initialize change. */
    public synchronized void watch(long fromRevision, Consumer<String> onChange, Runnable onError) {
        if (watcher != null) {
            watcher.close();
        }
        WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(fromRevision + 1).build();
        watcher = client.getWatchClient().watch(bytes(keys.prefix()), opt, Watch.listener(resp -> {
            // the next read must not come from an etcd member that has not applied this change yet
            resp.getEvents().forEach(e -> seen(e.getKeyValue().getModRevision()));
            for (WatchEvent e : resp.getEvents()) {
                String suffix = keys.suffixOf(e.getKeyValue().getKey().toString(StandardCharsets.UTF_8));
                if (suffix != null && !suffix.startsWith(DcsKeys.MEMBERS)) {
                    onChange.accept(suffix + (e.getEventType() == WatchEvent.EventType.DELETE ? " deleted" : " changed"));
                }
            }
        }, err -> {
            LOG.warn("{}DCS watch failed ({}): it is re-created after the next successful read", logPrefix, err.toString());
            onError.run();
        }));
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
        client.close();
    }

    // ------------------------------------------------------------------ helpers

    private <T> T call(Supplier<CompletableFuture<T>> op, String what) throws DcsException {
        long t0 = System.nanoTime();
        T result = HedgedCall.run(op, timeout, what, typicalCallNanos);
        long took = System.nanoTime() - t0;
        long typical = typicalCallNanos;
        typicalCallNanos = typical == 0 ? took : (typical * 7 + took) / 8; // a moving average of answered calls
        return result;
    }

    private <T> T await(CompletableFuture<T> f, long timeoutNanos, String what) throws DcsException {
        return HedgedCall.await(f, timeoutNanos, what);
    }

    static List<ClusterParser.Entry> entries(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> new ClusterParser.Entry(kv.getKey().toString(StandardCharsets.UTF_8),
                kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), kv.getLease())).toList();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

}
