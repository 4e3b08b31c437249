package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stopper against a thread built like the fence: a tick that works for a while and a sleep, each in a
 * handler that survives any Throwable, as {@code Fence.loop} does.
 */
class FenceThreadStopperTest {

    private static final long BOUND = TimeUnit.SECONDS.toNanos(3);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean tickFailed = new AtomicBoolean();
    private final AtomicBoolean sleepFailed = new AtomicBoolean();

    @AfterEach
    void endTheThreads() {
        running.set(false);
    }

    private Thread fenceLike(String name) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                try {
                    long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
                    long x = 0;
                    while (System.nanoTime() - until < 0) {
                        x += Long.numberOfTrailingZeros(x + 1);
                    }
                    if (x == 42) {
                        System.out.print("");
                    }
                } catch (Throwable e) {
                    tickFailed.set(true);
                }
                try {
                    Thread.sleep(20);
                } catch (Throwable e) {
                    sleepFailed.set(true);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void a_thread_that_survives_every_throwable_of_its_loop_either_fails_a_tick_or_ends() throws Exception {
        Thread t = fenceLike(FenceThreadStopper.THREAD);

        String result = FenceThreadStopper.stop(List.of(t), BOUND);
        t.join(1000);

        assertThat(!t.isAlive() || tickFailed.get()).as(result).isTrue();
        assertThat(result).startsWith(t.isAlive() ? "thread pgha-fence still alive after" : "thread pgha-fence ended after");
    }

    @Test
    void only_the_thread_of_that_name_is_touched_and_without_one_it_says_so() {
        Thread other = fenceLike("pgha-fence-not");

        String result = FenceThreadStopper.stop(List.of(other, Thread.currentThread()), BOUND);

        assertThat(result).isEqualTo("no thread named pgha-fence");
        assertThat(other.isAlive()).isTrue();
        assertThat(tickFailed.get() || sleepFailed.get()).isFalse();
    }
}
