package io.pgha.agent.dcs;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The few etcd v3 calls {@link EtcdDcs} makes, in types of our own: a range read, leases, transactions with
 * the three comparisons the agent uses, puts, deletes and a watch. {@link JetcdKv} sends them to a real etcd;
 * the simulation (src/test/java/io/pgha/sim) answers them from a simulated one on virtual time. Every call
 * gives up after the timeout last set ({@link #timeout}) with a {@link DcsException}.
 */
public interface EtcdKv extends AutoCloseable {

    /** One key as etcd stores it; {@code lease} is 0 for a key on no lease. */
    record Entry(String key, String value, long createRevision, long modRevision, long lease) {}

    /** A range read's keys and the store's revision when it was served. */
    record Range(List<Entry> entries, long revision) {}

    /** What a comparison looks at. */
    enum Target { VALUE, CREATE_REVISION, MOD_REVISION }

    /** {@code key}'s target equals {@code value} (VALUE) or {@code revision} (the revisions; 0 = absent). */
    record Cmp(String key, Target target, String value, long revision) {
        public static Cmp value(String key, String value) {
            return new Cmp(key, Target.VALUE, value, 0);
        }

        public static Cmp absent(String key) {
            return new Cmp(key, Target.CREATE_REVISION, null, 0);
        }

        public static Cmp modRevision(String key, long revision) {
            return new Cmp(key, Target.MOD_REVISION, null, revision);
        }
    }

    /** An operation inside a transaction. */
    sealed interface Op permits Put, Get, Delete, Nested {}

    /** Put, on {@code lease} (0: none). */
    record Put(String key, String value, long lease) implements Op {}

    record Get(String key) implements Op {}

    record Delete(String key) implements Op {}

    /** A transaction inside a transaction's branch (etcd 3.3+). */
    record Nested(Txn txn) implements Op {}

    record Txn(List<Cmp> ifs, List<Op> then, List<Op> otherwise) {}

    /**
     * @param got    the keys the branch's {@link Get}s returned, in order
     * @param nested the results of the branch's {@link Nested} transactions, in order
     */
    record TxnResult(boolean succeeded, long revision, List<Entry> got, List<TxnResult> nested) {}

    /** A change seen by a watch. */
    record Event(String key, long modRevision, boolean deleted) {}

    /** @param serializable served by whichever etcd member answers, without a consensus round (may be stale) */
    Range range(String prefix, boolean serializable, String what) throws DcsException;

    long grant(int ttlSeconds) throws DcsException;

    /** One keep-alive; the TTL etcd answers with, 0 when the lease is gone (expired: NOT_FOUND, or TTL ≤ 0). */
    long keepAliveOnce(long lease) throws DcsException;

    void revoke(long lease) throws DcsException;

    /** A transaction that is safe to repeat (a real etcd client may send it more than once, see HedgedCall). */
    TxnResult txn(Txn txn, String what) throws DcsException;

    /** A transaction sent exactly once (a repeat could see its own write and report a lost race). */
    TxnResult txnOnce(Txn txn, String what) throws DcsException;

    /** A plain put on no lease; the revision it created. */
    long put(String key, String value, String what) throws DcsException;

    void delete(String key, String what) throws DcsException;

    /** Watches {@code prefix} from {@code fromRevision}; the handle closes it. */
    AutoCloseable watch(String prefix, long fromRevision, Consumer<List<Event>> onEvents, Consumer<Throwable> onError);

    /** The budget of every later call (retry_timeout). */
    void timeout(Duration timeout);

    @Override
    void close();
}
