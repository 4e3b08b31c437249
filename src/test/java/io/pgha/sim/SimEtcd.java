package io.pgha.sim;

import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.EtcdKv;
import io.pgha.agent.dcs.EtcdKv.Cmp;
import io.pgha.agent.dcs.EtcdKv.Entry;
import io.pgha.agent.dcs.EtcdKv.Event;
import io.pgha.agent.dcs.EtcdKv.Op;
import io.pgha.agent.dcs.EtcdKv.Txn;
import io.pgha.agent.dcs.EtcdKv.TxnResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * etcd's key space as one linearizable state machine on virtual time: revisions (create and mod revision per
 * key), leases that expire {@code ttl} after the keep-alive etcd last processed (deleting their keys in one
 * revision), transactions with etcd's compare semantics (a VALUE compare on an absent key fails; the revision
 * targets compare 0 for an absent key), and every past state kept so that a lagging member can serve a stale
 * serializable read. Clients reach it through {@link SimEtcdKv}, which adds the network.
 */
public final class SimEtcd {
    record Lease(long id, int ttl, long expiresAt) {}

    private record Watcher(String prefix, String owner, Consumer<List<Event>> sink) {}

    private final Scheduler sched;
    private TreeMap<String, Entry> keys = new TreeMap<>();
    /** Every state by revision, for stale reads: revision -> keys (immutable copies). */
    private final TreeMap<Long, TreeMap<String, Entry>> history = new TreeMap<>();
    private final Map<Long, Lease> leases = new HashMap<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private long revision = 1;
    private long nextLease = 0x1000;
    /** The members whose watch deliveries are held back (a lagging etcd member, a cut link). */
    private final java.util.function.Predicate<String> watchBlocked;

    public SimEtcd(Scheduler sched, java.util.function.Predicate<String> watchBlocked) {
        this.sched = sched;
        this.watchBlocked = watchBlocked;
        history.put(revision, keys);
    }

    public long revision() {
        expire();
        return revision;
    }

    /** The value of a key now, or null. */
    public String get(String key) {
        expire();
        Entry e = keys.get(key);
        return e == null ? null : e.value();
    }

    public Entry entry(String key) {
        expire();
        return keys.get(key);
    }

    EtcdKv.Range range(String prefix, long atRevision) {
        expire();
        TreeMap<String, Entry> state = atRevision >= revision ? keys : history.floorEntry(atRevision).getValue();
        long rev = atRevision >= revision ? revision : history.floorKey(atRevision);
        return new EtcdKv.Range(List.copyOf(state.subMap(prefix, prefix + Character.MAX_VALUE).values()), rev);
    }

    long grant(int ttl) {
        expire();
        long id = nextLease++;
        Lease l = new Lease(id, ttl, sched.now() + TimeUnit.SECONDS.toNanos(ttl));
        leases.put(id, l);
        scheduleExpiry(l);
        return id;
    }

    long keepAlive(long id) {
        expire();
        Lease l = leases.get(id);
        if (l == null) {
            return 0;
        }
        Lease renewed = new Lease(id, l.ttl(), sched.now() + TimeUnit.SECONDS.toNanos(l.ttl()));
        leases.put(id, renewed);
        scheduleExpiry(renewed);
        return l.ttl();
    }

    void revoke(long id) {
        expire();
        if (leases.remove(id) != null) {
            dropLeaseKeys(List.of(id));
        }
    }

    /** Whether a lease is alive now (tests). */
    public boolean leaseAlive(long id) {
        expire();
        return leases.containsKey(id);
    }

    private void scheduleExpiry(Lease l) {
        sched.at(l.expiresAt(), null, this::expire);
    }

    /** Deletes the keys of every lease past its end, in one revision, as etcd's lessor does. */
    private void expire() {
        List<Long> gone = new ArrayList<>();
        for (Lease l : leases.values()) {
            if (l.expiresAt() <= sched.now()) {
                gone.add(l.id());
            }
        }
        if (!gone.isEmpty()) {
            gone.forEach(leases::remove);
            sched.note("etcd: lease(s) " + gone.stream().map(Long::toHexString).toList() + " expired");
            dropLeaseKeys(gone);
        }
    }

    private void dropLeaseKeys(List<Long> ids) {
        List<String> doomed = keys.values().stream().filter(e -> ids.contains(e.lease())).map(Entry::key).toList();
        if (doomed.isEmpty()) {
            return;
        }
        TreeMap<String, Entry> next = new TreeMap<>(keys);
        long rev = revision + 1;
        List<Event> events = new ArrayList<>();
        for (String k : doomed) {
            next.remove(k);
            events.add(new Event(k, rev, true));
        }
        commit(next, rev, events);
    }

    TxnResult txn(Txn t) throws DcsException {
        expire();
        TreeMap<String, Entry> next = new TreeMap<>(keys);
        List<Event> events = new ArrayList<>();
        TxnResult r = apply(t, next, revision + 1, events);
        if (!events.isEmpty()) {
            commit(next, revision + 1, events);
        }
        return new TxnResult(r.succeeded(), revision, r.got(), r.nested());
    }

    public long put(String key, String value) throws DcsException {
        return txn(new Txn(List.of(), List.of(new EtcdKv.Put(key, value, 0)), List.of())).revision();
    }

    void delete(String key) throws DcsException {
        txn(new Txn(List.of(), List.of(new EtcdKv.Delete(key)), List.of()));
    }

    private TxnResult apply(Txn t, TreeMap<String, Entry> state, long rev, List<Event> events) throws DcsException {
        boolean ok = t.ifs().stream().allMatch(c -> holds(c, keys.get(c.key())));
        List<Entry> got = new ArrayList<>();
        List<TxnResult> nested = new ArrayList<>();
        for (Op op : ok ? t.then() : t.otherwise()) {
            if (op instanceof EtcdKv.Put p) {
                if (p.lease() != 0 && !leases.containsKey(p.lease())) {
                    throw new DcsException("etcdserver: requested lease not found", null);
                }
                Entry old = state.get(p.key());
                state.put(p.key(), new Entry(p.key(), p.value(), old == null ? rev : old.createRevision(), rev, p.lease()));
                events.add(new Event(p.key(), rev, false));
            } else if (op instanceof EtcdKv.Get g) {
                Entry e = state.get(g.key());
                if (e != null) {
                    got.add(e);
                }
            } else if (op instanceof EtcdKv.Delete d) {
                if (state.remove(d.key()) != null) {
                    events.add(new Event(d.key(), rev, true));
                }
            } else {
                nested.add(apply(((EtcdKv.Nested) op).txn(), state, rev, events));
            }
        }
        return new TxnResult(ok, rev, got, nested);
    }

    private static boolean holds(Cmp c, Entry e) {
        return switch (c.target()) {
            case VALUE -> e != null && e.value().equals(c.value());
            case CREATE_REVISION -> (e == null ? 0 : e.createRevision()) == c.revision();
            case MOD_REVISION -> (e == null ? 0 : e.modRevision()) == c.revision();
        };
    }

    private void commit(TreeMap<String, Entry> next, long rev, List<Event> events) {
        keys = next;
        revision = rev;
        history.put(rev, next);
        for (Watcher w : List.copyOf(watchers)) {
            List<Event> mine = events.stream().filter(e -> e.key().startsWith(w.prefix())).toList();
            if (!mine.isEmpty()) {
                sched.after(TimeUnit.MILLISECONDS.toNanos(2), null, () -> {
                    if (watchers.contains(w) && !watchBlocked.test(w.owner())) {
                        w.sink().accept(mine);
                    }
                });
            }
        }
    }

    AutoCloseable watch(String owner, String prefix, Consumer<List<Event>> sink) {
        Watcher w = new Watcher(prefix, owner, sink);
        watchers.add(w);
        return () -> watchers.remove(w);
    }
}
