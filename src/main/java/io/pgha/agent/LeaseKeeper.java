package io.pgha.agent;

import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.Dcs;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one long step (a checkpoint, a clean stop, a clone, a rewind) on its own thread while the calling
 * thread keeps our etcd lease alive: without it a step longer than ttl would let the lease lapse, the fence
 * would stop a healthy primary, and a replica's member key would vanish.
 */
final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Dcs dcs;
    private final String log;

    LeaseKeeper(Dcs dcs, String logPrefix) {
        this.dcs = dcs;
        this.log = logPrefix;
    }

    /** A step that may fail with an I/O or SQL error. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws IOException, SQLException;
    }

    <T> T during(String what, Step<T> step) throws IOException, SQLException {
        FutureTask<T> task = new FutureTask<>((Callable<T>) step::run);
        Thread worker = new Thread(task, "pgha-" + what.replace(' ', '-'));
        worker.setDaemon(true);
        worker.start();
        try {
            while (true) {
                try {
                    return task.get(250, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    renew(what);
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        }
    }

    /** Renews the lease if it is older than half a second; a failure is left to the fence and the next cycle. */
    void renew(String what) {
        try {
            dcs.ensureLease(Duration.ofMillis(500));
        } catch (DcsException e) {
            LOG.warn("{}could not renew the lease during {}: {}", log, what, e.getMessage());
        }
    }
}
