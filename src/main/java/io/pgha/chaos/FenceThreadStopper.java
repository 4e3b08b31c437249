package io.pgha.chaos;

import java.util.concurrent.TimeUnit;

/**
 * The fence-thread-death fault, run inside an agent's JVM: loaded there by {@link AgentAttach} through the JDK's
 * attach API (pgha.jar names this class as its {@code Agent-Class}). It throws {@link ThreadDeath} into the
 * thread named {@value #THREAD} with {@link Thread#stop()}, again and again until that thread has ended:
 * what an {@code OutOfMemoryError} did to it in the review of issue 11. A stop is sent only while the thread
 * runs (not while it sleeps between ticks): a ThreadDeath delivered in the sleep is survived by design and
 * only wakes it, one delivered while it works lands in a tick (an Error there is a safety fault for good) or
 * in its handlers (the thread ends). Bounded by {@link #BOUND_NANOS}.
 *
 * <p>Not a back door: only a process that may attach to the agent's JVM (its own user, or root) can load it,
 * and such a process can load any code of its own anyway. The outcome is left in the system property
 * {@value #RESULT_PROPERTY} for the attaching side to read.
 */
public final class FenceThreadStopper {

    static final String THREAD = "pgha-fence";
    static final String RESULT_PROPERTY = "pgha.chaos.fence-thread-death";
    static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);

    private FenceThreadStopper() {}

    /** Entry point of a dynamically loaded agent. */
    public static void agentmain(String args) {
        String result = stop(Thread.getAllStackTraces().keySet(), BOUND_NANOS);
        System.setProperty(RESULT_PROPERTY, result);
        System.err.println("[chaos] fence-thread-death: " + result);
    }

    /** Ends the thread named {@value #THREAD} among {@code threads}; what happened, in words. */
    static String stop(java.util.Collection<Thread> threads, long boundNanos) {
        Thread fence = threads.stream().filter(t -> THREAD.equals(t.getName())).findFirst().orElse(null);
        if (fence == null) {
            return "no thread named " + THREAD;
        }
        try {
            return stopUntilEnded(fence, boundNanos);
        } catch (UnsupportedOperationException e) {
            return "cannot stop thread " + THREAD + " on Java " + Runtime.version().feature() + " (Thread.stop works up to 19)";
        }
    }

    @SuppressWarnings("removal") // Thread.stop works up to Java 19; the agent runs on 17
    private static String stopUntilEnded(Thread fence, long boundNanos) {
        long t0 = System.nanoTime();
        long stops = 0;
        fence.stop(); // the first one wakes it from its sleep
        stops++;
        while (fence.isAlive() && System.nanoTime() - t0 < boundNanos) {
            if (fence.getState() == Thread.State.RUNNABLE) {
                fence.stop();
                stops++;
            } else {
                Thread.onSpinWait();
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return fence.isAlive()
                ? "thread " + THREAD + " still alive after " + stops + " stops in " + ms + " ms"
                : "thread " + THREAD + " ended after " + stops + " stops in " + ms + " ms";
    }
}
