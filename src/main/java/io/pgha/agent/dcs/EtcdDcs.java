package io.pgha.agent.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.agent.dcs.EtcdKv.Cmp;
import io.pgha.agent.dcs.EtcdKv.Delete;
import io.pgha.agent.dcs.EtcdKv.Get;
import io.pgha.agent.dcs.EtcdKv.Nested;
import io.pgha.agent.dcs.EtcdKv.Put;
import io.pgha.agent.dcs.EtcdKv.Txn;
import io.pgha.agent.dcs.EtcdKv.TxnResult;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DCS on etcd v3, in Patroni's key layout (patroni-compat.md §1). One lease per agent carries the member
 * key and, while leader, the leader key. The lease is renewed only by explicit calls from the HA loop
 * (never by a background stream), so a stuck loop stops renewing and the lease expires as it must. The etcd
 * calls go through {@link EtcdKv}: jetcd in production, a simulated etcd in the simulation.
 */
public final class EtcdDcs implements Dcs {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdDcs.class);

    private final EtcdKv kv;
    private final DcsKeys keys;
    private final String me;
    private final String logPrefix;
    private final LongSupplier clock;
    private volatile int ttlSeconds;

    private volatile long leaseId;
    /**
     * The newest revision this agent knows exists (from its reads, its own writes and watch events): a
     * serializable read older than that comes from a lagging etcd member and is repeated linearizably.
     */
    private final java.util.concurrent.atomic.AtomicLong highestRevision = new java.util.concurrent.atomic.AtomicLong();
    /** Clock nanos before which etcd cannot have expired our lease (send time of the last good renewal + ttl). */
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
    private String lastMemberJson;
    private AutoCloseable watcher;

    public EtcdDcs(List<String> hosts, DcsKeys keys, String me, String scope, int ttlSeconds, Duration timeout) {
        this(hosts, null, keys, me, scope, ttlSeconds, timeout);
    }

    /** @param tls TLS to etcd (CA, optional client certificate), or null for plain HTTP */
    public EtcdDcs(List<String> hosts, io.pgha.config.AgentSettings.EtcdTls tls, DcsKeys keys, String me, String scope,
                   int ttlSeconds, Duration timeout) {
        this(new JetcdKv(hosts, tls, timeout), keys, me, scope, ttlSeconds, System::nanoTime);
    }

    /** On any etcd ({@link EtcdKv}) and clock: the simulation runs this class on a simulated etcd and virtual time. */
    public EtcdDcs(EtcdKv kv, DcsKeys keys, String me, String scope, int ttlSeconds, LongSupplier clock) {
        this.kv = kv;
        this.keys = keys;
        this.me = me;
        this.logPrefix = "[" + scope + "/" + me + "] ";
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    @Override
    public void setTiming(int ttlSeconds, Duration timeout) {
        if (ttlSeconds != this.ttlSeconds) {
            // A lease keeps the TTL it was granted with: a new one is granted on the next renewal.
            LOG.info("{}ttl changed from {} to {} s: a new lease will be granted", logPrefix, this.ttlSeconds, ttlSeconds);
            this.ttlSeconds = ttlSeconds;
            // keep the current lease (and its known validity) until the new one is granted: the fence must not
            // mistake a timing change for a lost lease
            this.regrant = true;
        }
        kv.timeout(timeout);
    }

    /** Until when (the clock's nanos) our lease is certainly still valid in etcd; 0 if we hold none. */
    @Override
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
    @Override
    public Cluster read() throws DcsException {
        EtcdKv.Range r = kv.range(keys.prefix(), true, "read cluster");
        if (r.revision() < highestRevision.get()) {
            r = kv.range(keys.prefix(), false, "read cluster");
        }
        seen(r.revision());
        return ClusterParser.parse(keys, entries(r.entries()), r.revision());
    }

    // ------------------------------------------------------------------ lease

    /** Makes sure we hold a live lease, granting one if needed; refreshes it when older than {@code maxAge}. */
    @Override
    public synchronized void ensureLease(Duration maxAge) throws DcsException {
        long now = clock.getAsLong();
        if (leaseId != 0 && !regrant && now - lastKeepAliveNanos < maxAge.toNanos()) {
            return;
        }
        if (leaseId != 0 && !regrant) {
            long sent = clock.getAsLong();
            long id = leaseId;
            if (kv.keepAliveOnce(id) > 0) {
                markRenewed(sent);
                return;
            }
            // expired (the agent was stopped or cut off for longer than ttl): whatever sat on it is gone too
            LOG.warn("{}lease {} has expired: granting a new one", logPrefix, Long.toHexString(id));
            leaseId = 0;
            leaseValidUntilNanos = 0;
            leaderLeaseId = 0; // the leader key, if we had one, died with the lease
            recomputeAuthority();
        }
        long sent = clock.getAsLong();
        long granted = kv.grant(ttlSeconds);
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
    @Override
    public void keepLeaseFresh() {
        long since;
        synchronized (this) {
            if (leaseId == 0 || regrant) {
                return;
            }
            since = clock.getAsLong() - lastKeepAliveNanos;
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

    private void markRenewed(long sentNanos) {
        lastKeepAliveNanos = sentNanos;
        leaseValidUntilNanos = sentNanos + TimeUnit.SECONDS.toNanos(ttlSeconds);
        recomputeAuthority();
    }

    // ------------------------------------------------------------------ member key

    /** Publishes members/&lt;me&gt; on our lease, skipping the write when nothing changed. */
    @Override
    public synchronized void touchMember(JsonNode data) throws DcsException {
        ensureLease(Duration.ofSeconds(Math.max(1, ttlSeconds / 3)));
        String json = data.toString();
        if (json.equals(lastMemberJson)) {
            return;
        }
        kv.txn(new Txn(List.of(), List.of(new Put(keys.member(me), json, leaseId)), List.of()), "write member key");
        lastMemberJson = json;
    }

    // ------------------------------------------------------------------ leader key

    /** The bootstrap race's end: create the leader key on our lease if nobody holds it. */
    @Override
    public boolean acquireLeader() throws DcsException {
        return acquireLeader(-1);
    }

    /**
     * The failover race: create the leader key on our lease if nobody holds it and, unless
     * {@code syncModRevision} is -1, the {@code sync} key is still the one the decision read (0: still absent).
     * In synchronous mode a member may only race if the sync key lists it; a view read from a lagging etcd member
     * can show an old sync key, and without this comparison the race would be decided on it (hole 8 of issue 11).
     */
    @Override
    public synchronized boolean acquireLeader(long syncModRevision) throws DcsException {
        // a lease renewed in the last half second is fresh enough to attach the key to; skipping the
        // keep-alive saves a round trip at the moment every millisecond of the failover counts
        ensureLease(Duration.ofMillis(500));
        String k = keys.key(DcsKeys.LEADER);
        String sync = keys.key(DcsKeys.SYNC);
        long lease = leaseId;
        Cmp free = Cmp.absent(k);
        List<Cmp> cmps = syncModRevision < 0 ? List.of(free)
                : List.of(free, syncModRevision == 0 ? Cmp.absent(sync) : Cmp.modRevision(sync, syncModRevision));
        TxnResult r = kv.txn(new Txn(cmps, List.of(new Put(k, me, lease)), List.of()), "acquire leader key");
        if (r.succeeded()) {
            leaderKeyOn(lease);
        }
        return r.succeeded();
    }

    /**
     * Renews the leader lease (forced keep-alive) and checks with etcd itself, not with the possibly stale
     * read, that the key still names us on this lease. If it sits on an older lease of ours, rewrite it only
     * while its value is still our name, or if it vanished. Returns false when the lock is lost.
     */
    @Override
    public synchronized boolean refreshLeader() throws DcsException {
        ensureLease(Duration.ZERO);
        String k = keys.key(DcsKeys.LEADER);
        long lease = leaseId;
        TxnResult check = kv.txn(new Txn(List.of(Cmp.value(k, me)), List.of(new Get(k)), List.of()), "check leader key");
        if (check.succeeded() && check.got().stream().anyMatch(e -> e.lease() == lease)) {
            leaderKeyOn(lease);
            return true;
        }
        if (!check.succeeded()) {
            leaderKeyOn(0); // the key does not name us: whatever lease we thought it sat on, it is not ours now
        }
        Put put = new Put(k, me, lease);
        TxnResult r = kv.txn(new Txn(List.of(Cmp.value(k, me)), List.of(put),
                List.of(new Nested(new Txn(List.of(Cmp.absent(k)), List.of(put), List.of())))), "refresh leader key");
        boolean ours = r.succeeded() || (!r.nested().isEmpty() && r.nested().get(0).succeeded());
        leaderKeyOn(ours ? lease : 0);
        return ours;
    }

    /** Deletes the leader key only while it still names us (clean shutdown, switchover). */
    @Override
    public synchronized boolean releaseLeader() throws DcsException {
        String k = keys.key(DcsKeys.LEADER);
        TxnResult r = kv.txn(new Txn(List.of(Cmp.value(k, me)), List.of(new Delete(k)), List.of()), "release leader key");
        leaderKeyOn(0); // deleted, or it did not name us anyway
        return r.succeeded();
    }

    /** Revokes our lease: member key (and leader key, if any) vanish at once. Used on clean shutdown. */
    @Override
    public synchronized void revokeLease() throws DcsException {
        if (leaseId != 0) {
            long id = leaseId;
            leaseId = 0;
            leaderKeyOn(0);
            kv.revoke(id);
        }
    }

    // ------------------------------------------------------------------ bootstrap keys

    /** Races for the initialize key; the winner bootstraps the cluster. */
    @Override
    public boolean raceInitialize() throws DcsException {
        String k = keys.key(DcsKeys.INITIALIZE);
        // not retried: a retry after a lost answer would see our own key and report the race as lost
        return kv.txnOnce(new Txn(List.of(Cmp.absent(k)), List.of(new Put(k, "", 0)), List.of()), "race for initialize").succeeded();
    }

    @Override
    public void deleteInitialize() throws DcsException {
        kv.delete(keys.key(DcsKeys.INITIALIZE), "delete initialize");
    }

    private void seen(long revision) {
        highestRevision.accumulateAndGet(revision, Math::max);
    }

    @Override
    public void put(String suffix, String value) throws DcsException {
        seen(kv.put(keys.key(suffix), value, "write " + suffix));
    }

    /** Put with compare-and-set on mod_revision (0 = the key must not exist). */
    @Override
    public boolean putIfModRevision(String suffix, String value, long modRevision) throws DcsException {
        String k = keys.key(suffix);
        Cmp cmp = modRevision == 0 ? Cmp.absent(k) : Cmp.modRevision(k, modRevision);
        TxnResult r = kv.txn(new Txn(List.of(cmp), List.of(new Put(k, value, 0)), List.of()), "write " + suffix);
        seen(r.revision());
        return r.succeeded();
    }

    /** Delete with compare-and-set on mod_revision. */
    @Override
    public boolean deleteIfModRevision(String suffix, long modRevision) throws DcsException {
        String k = keys.key(suffix);
        TxnResult r = kv.txn(new Txn(List.of(Cmp.modRevision(k, modRevision)), List.of(new Delete(k)), List.of()), "delete " + suffix);
        seen(r.revision());
        return r.succeeded();
    }

    // ------------------------------------------------------------------ watch

    /** Calls {@code onChange} when leader, config, status, failover, sync or initialize change. */
    @Override
    public synchronized void watch(long fromRevision, Consumer<String> onChange, Runnable onError) {
        closeWatcher();
        watcher = kv.watch(keys.prefix(), fromRevision + 1, events -> {
            // the next read must not come from an etcd member that has not applied this change yet
            events.forEach(e -> seen(e.modRevision()));
            for (EtcdKv.Event e : events) {
                String suffix = keys.suffixOf(e.key());
                if (suffix != null && !suffix.startsWith(DcsKeys.MEMBERS)) {
                    onChange.accept(suffix + (e.deleted() ? " deleted" : " changed"));
                }
            }
        }, err -> {
            LOG.warn("{}DCS watch failed ({}): it is re-created after the next successful read", logPrefix, err.toString());
            onError.run();
        });
    }

    private void closeWatcher() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (Exception e) {
                LOG.debug("{}closing the DCS watch: {}", logPrefix, e.toString());
            }
            watcher = null;
        }
    }

    @Override
    public synchronized void close() {
        closeWatcher();
        kv.close();
    }

    // ------------------------------------------------------------------ helpers

    static List<ClusterParser.Entry> entries(List<EtcdKv.Entry> kvs) {
        return kvs.stream().map(e -> new ClusterParser.Entry(e.key(), e.value(), e.modRevision(), e.lease())).toList();
    }
}
