package io.pgha.agent.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** pgha's own counters for GET /metrics, updated by the HA loop; cheap and thread-safe. */
public final class AgentCounters {
    private final LongAdder loops = new LongAdder();
    private final LongAdder loopMillisTotal = new LongAdder();
    private final AtomicLong lastLoopMillis = new AtomicLong();
    private final LongAdder dcsErrors = new LongAdder();
    private final LongAdder leaseRenewals = new LongAdder();
    private final LongAdder leaseRenewalFailures = new LongAdder();
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private volatile boolean failsafeActive;
    private final LongAdder safetyFaults = new LongAdder();

    /** The fence or the watchdog was found broken (counted once per fault that appears). */
    public void safetyFault() {
        safetyFaults.increment();
    }

    long safetyFaults() {
        return safetyFaults.sum();
    }

    public void loop(long millis) {
        loops.increment();
        loopMillisTotal.add(millis);
        lastLoopMillis.set(millis);
    }

    public void dcsError() {
        dcsErrors.increment();
    }

    public void leaseRenewal(boolean ok) {
        (ok ? leaseRenewals : leaseRenewalFailures).increment();
    }

    /** A primary running on failsafe (etcd out of reach, every member confirmed), as of the last cycle. */
    public void failsafeActive(boolean active) {
        failsafeActive = active;
    }

    boolean failsafeActive() {
        return failsafeActive;
    }

    public void decision(String action) {
        decisions.computeIfAbsent(action, k -> new LongAdder()).increment();
    }

    long loops() {
        return loops.sum();
    }

    long loopMillisTotal() {
        return loopMillisTotal.sum();
    }

    long lastLoopMillis() {
        return lastLoopMillis.get();
    }

    long dcsErrors() {
        return dcsErrors.sum();
    }

    long leaseRenewals() {
        return leaseRenewals.sum();
    }

    long leaseRenewalFailures() {
        return leaseRenewalFailures.sum();
    }

    Map<String, Long> decisions() {
        Map<String, Long> out = new java.util.TreeMap<>();
        decisions.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
