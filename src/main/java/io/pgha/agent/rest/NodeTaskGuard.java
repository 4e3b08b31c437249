package io.pgha.agent.rest;

import java.util.concurrent.atomic.AtomicReference;

/**
 * At most one node task (an immediate restart, a reinitialize) accepted at a time. Two POST /reinitialize in
 * quick succession once wiped the data directory under the postmaster the first one had just started; a
 * second request now gets 409 at once instead of queueing behind the first. The slot is taken with one
 * compare-and-set when a request is accepted and given back when its handler returns, however it ends.
 */
public final class NodeTaskGuard {

    private final AtomicReference<String> running = new AtomicReference<>();

    /** Takes the slot for {@code task}; null when taken, else the name of the task that holds it. */
    public String tryBegin(String task) {
        while (!running.compareAndSet(null, task)) {
            String holder = running.get();
            if (holder != null) {
                return holder;
            } // released between the two reads: try again
        }
        return null;
    }

    /** Gives the slot back; only the holder calls this. */
    public void end() {
        running.set(null);
    }

    /** Runs {@code work} holding the slot, or answers 409 naming the task that holds it. */
    public RestReply exclusive(String task, java.util.function.Supplier<RestReply> work) {
        String other = tryBegin(task);
        if (other != null) {
            return RestReply.text(409, other + " already in progress");
        }
        try {
            return work.get();
        } finally {
            end();
        }
    }
}
