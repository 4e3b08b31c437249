package io.pgha.sim;

import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded discrete-event scheduler on a virtual clock (nanoseconds). Events run in time order, ties
 * in the order they were scheduled, so a seed fixes the whole run. A component that "takes time" in the
 * middle of real agent code (an etcd call's latency, a wait for PostgreSQL) calls {@link #advance}, which runs
 * every other event due meanwhile before it returns: a blocking call without threads. Nesting is bounded by
 * the number of agents (each agent is in at most one such call at a time).
 */
public final class Scheduler {
    private record Event(long at, long seq, String label, Runnable action) {}

    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.seq, b.seq));
    private record Line(long at, String text) {}

    private final Line[] trace = new Line[200];
    private int traced;
    private final Random random;
    private long now;
    private long seq;
    private long events;
    private int depth;
    private final java.util.ArrayDeque<Runnable> unwound = new java.util.ArrayDeque<>();
    private Runnable afterEvent = () -> { };

    public Scheduler(long seed) {
        this.random = new Random(seed);
    }

    public long now() {
        return now;
    }

    public long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(now);
    }

    public Random random() {
        return random;
    }

    public long events() {
        return events;
    }

    /** Runs after every event: the invariant checks. */
    public void afterEvent(Runnable check) {
        this.afterEvent = check;
    }

    public void at(long atNanos, String label, Runnable action) {
        queue.add(new Event(Math.max(atNanos, now), seq++, label, action));
    }

    public void after(long delayNanos, String label, Runnable action) {
        at(now + delayNanos, label, action);
    }

    /** Runs the events due until {@code untilNanos}, then stands the clock there (unless a nested run went further). */
    public void runUntil(long untilNanos) {
        depth++;
        try {
            for (Event e = queue.peek(); e != null && e.at <= untilNanos; e = queue.peek()) {
                queue.poll();
                now = Math.max(now, e.at);
                events++;
                if (e.label != null) {
                    note(e.label);
                }
                e.action.run();
                afterEvent.run();
                while (depth == 1 && !unwound.isEmpty() && now <= untilNanos) {
                    unwound.poll().run();
                    afterEvent.run();
                }
            }
            now = Math.max(now, untilNanos);
        } finally {
            depth--;
        }
    }

    /** True inside a blocking call (an {@link #advance} below the current event). */
    public boolean nested() {
        return depth > 1;
    }

    /**
     * Runs {@code action} once no blocking call is on the stack any more. A blocking call can only return after
     * every call that began inside it (the stack), so an agent's cycle that began inside another agent's long
     * wait (an etcd timeout) would hold that agent up, and be held up by it, again and again; agents' cycles
     * therefore start only at the top: one agent's cycle never overlaps another's, time still passes inside each.
     */
    public void whenUnwound(Runnable action) {
        unwound.add(action);
    }

    /** Lets {@code nanos} of virtual time pass for the caller while everything else due meanwhile happens. */
    public void advance(long nanos) {
        runUntil(now + nanos);
    }

    /** One line of the trace (the last 200 are kept for a failure report). */
    public void note(String line) {
        trace[traced++ % trace.length] = new Line(now, line); // formatted only for a failure report
    }

    public String trace() {
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, traced - trace.length); i < traced; i++) {
            Line l = trace[i % trace.length];
            b.append(String.format("%9.3f %s%n", l.at / 1e9, l.text));
        }
        return b.toString();
    }
}
