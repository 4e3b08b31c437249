package io.pgha.agent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Log lines of the safety threads (fence, watchdog feeder), written by a thread of their own. The agent's log
 * goes to stderr; a reader that stops draining that pipe (a stuck log collector, a full pipe) blocks every
 * write to it, and a fence that logs before it signals would then never signal. So the fence only offers its
 * lines to a bounded queue and never waits: when the queue is full, lines are dropped and counted, and the
 * count is reported with the next line that gets through.
 */
final class SafetyLog {
    enum Level { INFO, WARN, ERROR }

    private record Line(Logger logger, Level level, String text) {}

    private static final int CAPACITY = 256;
    private static final SafetyLog INSTANCE = new SafetyLog();

    private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();

    private SafetyLog() {
        Thread t = new Thread(this::drain, "pgha-safety-log");
        t.setDaemon(true);
        t.start();
    }

    static SafetyLog get() {
        return INSTANCE;
    }

    /** Never blocks and never throws. */
    void log(Logger logger, Level level, String text) {
        if (!queue.offer(new Line(logger, level, text))) {
            dropped.incrementAndGet();
        }
    }

    void info(Logger logger, String text) {
        log(logger, Level.INFO, text);
    }

    void warn(Logger logger, String text) {
        log(logger, Level.WARN, text);
    }

    void error(Logger logger, String text) {
        log(logger, Level.ERROR, text);
    }

    /** Lines dropped so far because the log could not keep up. */
    long dropped() {
        return dropped.get();
    }

    private void drain() {
        long reported = 0;
        while (true) {
            try {
                Line l = queue.take();
                long lost = dropped.get();
                String text = lost == reported ? l.text() : l.text() + " (" + (lost - reported) + " earlier safety log lines dropped)";
                reported = lost;
                switch (l.level()) {
                    case INFO -> l.logger().info(text);
                    case WARN -> l.logger().warn(text);
                    case ERROR -> l.logger().error(text);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) { // a broken log must not end the drain: the next line may get through
                dropped.incrementAndGet();
            }
        }
    }
}
