package io.pgha.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client whose acknowledged commits must survive: one thread INSERTs numbered rows, one autocommit
 * statement at a time, through HAProxy's read-write port, and records each attempt with the answering
 * server's port. After any error it drops the connection and connects again on the next tick.
 */
final class AckWriter implements Runnable {

    static final String INSERT = "INSERT INTO chaos_writes(run, id) VALUES (?, ?) RETURNING inet_server_port()";
    private static final Logger LOG = LoggerFactory.getLogger(AckWriter.class);

    private final Sql sql;
    private final int port;
    private final String run;
    private final long intervalNanos;
    private final AttemptLog log;
    private final IntFunction<String> memberOfPort;
    private volatile boolean stopped;
    private volatile Connection connection;
    private long id;

    /**
     * @param port         HAProxy's read-write port
     * @param memberOfPort the member whose PostgreSQL answers on a port
     */
    AckWriter(Sql sql, int port, String run, Duration interval, AttemptLog log, IntFunction<String> memberOfPort) {
        this.sql = sql;
        this.port = port;
        this.run = run;
        this.intervalNanos = interval.toNanos();
        this.log = log;
        this.memberOfPort = memberOfPort;
    }

    @Override
    public void run() {
        String lastError = null;
        int lastPort = 0;
        long next = System.nanoTime();
        while (!stopped) {
            long seq = ++id;
            long sent = MicroClock.nowMicros();
            try {
                if (connection == null) {
                    connection = sql.connect(port, "pgha-chaos-writer", 2, true);
                }
                try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
                    ps.setString(1, run);
                    ps.setLong(2, seq);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        int server = rs.getInt(1);
                        log.add(Attempt.ack(Attempt.Source.WRITER, memberOfPort.apply(server), seq, sent,
                                MicroClock.nowMicros(), server));
                        if (server != lastPort || lastError != null) {
                            LOG.info("writer: row {} acknowledged by {} (port {})", seq, memberOfPort.apply(server), server);
                        }
                        lastPort = server;
                        lastError = null;
                    }
                }
            } catch (SQLException e) {
                String error = Sql.describe(e) + Sql.closeBroken(connection);
                connection = null;
                log.add(Attempt.failure(Attempt.Source.WRITER, null, seq, sent, MicroClock.nowMicros(), error));
                if (!error.equals(lastError)) {
                    LOG.info("writer: row {} failed: {}", seq, error);
                }
                lastError = error;
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** Stops after the current attempt; an attempt blocked in a commit is left to finish or fail by itself. */
    void stop() {
        stopped = true;
    }

    /** At the very end, after the checks: closes the connection even if a commit still waits on it. */
    void abandon() {
        stopped = true;
        Sql.abandon(connection, "writer");
    }
}
