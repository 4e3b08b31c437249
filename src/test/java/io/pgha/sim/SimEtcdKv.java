package io.pgha.sim;

import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.EtcdKv;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One agent's etcd client in the simulation: the network between that agent and {@link SimEtcd}. Each call
 * takes virtual time (the request's way there, etcd applies it, the answer's way back), during which
 * everything else goes on. A cut link ({@link Link#down}) lets every call run into the timeout without
 * reaching etcd; a lossy link applies a call but loses its answer (the agent sees a timeout); a slow link
 * adds latency; a lagging member serves serializable reads (and watch events) from an older revision.
 * A frozen agent (SIGSTOP, GC pause) receives its answer only once it runs again.
 */
public final class SimEtcdKv implements EtcdKv {

    /** The state of the link; the schedule's faults change it. */
    public static final class Link {
        public boolean down;
        public long extraLatencyNanos;
        /** Probability of a lost answer (the call is applied). */
        public double loseAnswers;
        /** The revision a lagging member is stuck at; 0 while it keeps up. */
        public long laggingAt;
        /** Tests: cut the link for this long right after the next lease grant (hole 2). */
        public long cutAfterNextGrantNanos;
    }

    private final Scheduler sched;
    private final SimEtcd etcd;
    private final String owner;
    private final Link link;
    private final Runnable waitWhileFrozen;
    private long timeoutNanos = TimeUnit.SECONDS.toNanos(2);

    public SimEtcdKv(Scheduler sched, SimEtcd etcd, String owner, Link link, Runnable waitWhileFrozen) {
        this.sched = sched;
        this.etcd = etcd;
        this.owner = owner;
        this.link = link;
        this.waitWhileFrozen = waitWhileFrozen;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws DcsException;
    }

    private <T> T call(String what, Call<T> op) throws DcsException {
        long oneWay = TimeUnit.MICROSECONDS.toNanos(300 + sched.random().nextInt(1200)) + link.extraLatencyNanos / 2;
        if (link.down || 2 * oneWay > timeoutNanos) {
            // a slow answer beyond the timeout may still have been applied
            if (!link.down && oneWay < timeoutNanos) {
                sched.advance(oneWay);
                op.run();
                sched.advance(timeoutNanos - oneWay);
            } else {
                sched.advance(timeoutNanos);
            }
            waitWhileFrozen.run();
            throw new DcsException(what + ": etcd did not answer within the timeout", null);
        }
        sched.advance(oneWay);
        if (link.down) { // cut while the request was on its way
            sched.advance(timeoutNanos - oneWay);
            waitWhileFrozen.run();
            throw new DcsException(what + ": etcd did not answer within the timeout", null);
        }
        T result = op.run();
        if (link.loseAnswers > 0 && sched.random().nextDouble() < link.loseAnswers) {
            sched.advance(timeoutNanos - oneWay);
            waitWhileFrozen.run();
            throw new DcsException(what + ": the answer was lost", null);
        }
        sched.advance(oneWay);
        waitWhileFrozen.run();
        return result;
    }

    @Override
    public Range range(String prefix, boolean serializable, String what) throws DcsException {
        return call(what, () -> etcd.range(prefix, serializable && link.laggingAt > 0 ? link.laggingAt : Long.MAX_VALUE));
    }

    @Override
    public long grant(int ttlSeconds) throws DcsException {
        long id = call("grant lease", () -> etcd.grant(ttlSeconds));
        if (link.cutAfterNextGrantNanos > 0) {
            long cut = link.cutAfterNextGrantNanos;
            link.cutAfterNextGrantNanos = 0;
            link.down = true;
            sched.note(owner + ": etcd link cut right after a lease grant, for " + cut / 1_000_000 + " ms");
            sched.after(cut, owner + ": etcd link restored", () -> link.down = false);
        }
        return id;
    }

    @Override
    public long keepAliveOnce(long lease) throws DcsException {
        return call("renew lease", () -> etcd.keepAlive(lease));
    }

    @Override
    public void revoke(long lease) throws DcsException {
        call("revoke lease", () -> {
            etcd.revoke(lease);
            return null;
        });
    }

    @Override
    public TxnResult txn(Txn txn, String what) throws DcsException {
        return call(what, () -> etcd.txn(txn));
    }

    @Override
    public TxnResult txnOnce(Txn txn, String what) throws DcsException {
        return call(what, () -> etcd.txn(txn));
    }

    @Override
    public long put(String key, String value, String what) throws DcsException {
        return call(what, () -> etcd.put(key, value));
    }

    @Override
    public void delete(String key, String what) throws DcsException {
        call(what, () -> {
            etcd.delete(key);
            return null;
        });
    }

    @Override
    public AutoCloseable watch(String prefix, long fromRevision, Consumer<List<Event>> onEvents, Consumer<Throwable> onError) {
        return etcd.watch(owner, prefix, onEvents);
    }

    @Override
    public void timeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void close() {
        // nothing to release: the simulated etcd outlives its clients
    }
}
