package io.pgha.agent.dcs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Runs one etcd call within a time budget, hedged across attempts (see {@link #run}). */
final class HedgedCall {

    private HedgedCall() {}

    /** Attempts of one operation, launched one third of retry_timeout apart (or at once when all failed). */
    private static final int ATTEMPTS = 3;

    /**
     * One DCS operation within retry_timeout, as a hedged request: when an attempt has not answered after a
     * third of the budget (or has failed), another is sent while the first stays in flight, and the first
     * success wins. gRPC balances calls round robin over the endpoints, so the next attempt goes to another
     * etcd member: one hung member (alive to TCP, answering nothing) must not cost the leader its lease.
     * Every operation sent through here is safe to repeat (raceInitialize, the one that is not, is not).
     */
    static <T> T run(Supplier<CompletableFuture<T>> op, Duration timeout, String what) throws DcsException {
        return run(op, timeout, what, 0);
    }

    /**
     * As {@link #run(Supplier, Duration, String)}, with the next attempt sent only after twice the
     * {@code typicalNanos} an answer takes (within a third and a half of the budget): an etcd that is slow
     * everywhere (0.85 s an answer, say) would otherwise get every call twice, and slower still for it (hole 6
     * of issue 11), while one silent member among fast ones is still overtaken after a third of the budget.
     */
    static <T> T run(Supplier<CompletableFuture<T>> op, Duration timeout, String what, long typicalNanos) throws DcsException {
        long start = System.nanoTime();
        long budget = timeout.toNanos();
        long hedgeAfter = Math.min(budget / 2, Math.max(budget / ATTEMPTS, 2 * typicalNanos));
        CompletableFuture<T> winner = new CompletableFuture<>();
        List<CompletableFuture<T>> inFlight = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        Throwable lastError = null;
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                CompletableFuture<T> f = op.get();
                inFlight.add(f);
                f.whenComplete((v, e) -> {
                    if (e == null) {
                        winner.complete(v);
                    } else {
                        failed.incrementAndGet();
                    }
                });
                long slotEnd = start + Math.min(budget, hedgeAfter * attempt);
                while (System.nanoTime() < slotEnd && failed.get() < inFlight.size()) {
                    try {
                        return winner.get(Math.min(slotEnd - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        // no answer yet: keep waiting until this attempt's slot ends, or all attempts failed
                    }
                }
                if (winner.isDone()) {
                    return winner.get();
                }
                lastError = errorOf(inFlight);
            }
            long left = start + budget - System.nanoTime();
            if (left > 0 && failed.get() < inFlight.size()) {
                try {
                    return winner.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    lastError = e;
                }
            }
            throw new DcsException(what + ": etcd did not answer within " + timeout.toMillis() + " ms"
                    + (lastError == null || lastError instanceof TimeoutException ? "" : " (" + lastError + ")"), lastError);
        } catch (ExecutionException e) {
            throw new DcsException(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcsException(what + ": interrupted", e);
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    private static Throwable errorOf(List<? extends CompletableFuture<?>> futures) {
        for (CompletableFuture<?> f : futures) {
            if (f.isCompletedExceptionally()) {
                try {
                    f.join();
                } catch (RuntimeException e) {
                    return e.getCause() != null ? e.getCause() : e;
                }
            }
        }
        return null;
    }

    static <T> T await(CompletableFuture<T> f, long timeoutNanos, String what) throws DcsException {
        try {
            return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new DcsException(what + ": etcd did not answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", e);
        } catch (ExecutionException e) {
            throw new DcsException(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcsException(what + ": interrupted", e);
        }
    }

}
