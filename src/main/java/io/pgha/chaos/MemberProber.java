package io.pgha.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks one member, several times a second, whether it accepts writes, by committing a row straight into its
 * PostgreSQL (not PgBouncer, not HAProxy). One connection, one statement at a time: a commit that blocks
 * blocks this member's prober only. Once the member said it is read-only, a cheap pg_is_in_recovery()
 * stands in for the INSERT until it says otherwise, so standbys' logs are not flooded with errors; the
 * INSERT itself is what counts as a write.
 */
final class MemberProber implements Runnable {

    static final String INSERT = "INSERT INTO chaos_probes(run, member, seq) VALUES (?, ?, ?) RETURNING inet_server_port()";
    private static final String READ_ONLY = "25006";
    private static final Logger LOG = LoggerFactory.getLogger(MemberProber.class);

    private final Sql sql;
    private final String member;
    private final int port;
    private final String run;
    private final long intervalNanos;
    private final AttemptLog log;
    private volatile boolean stopped;
    private volatile Connection connection;
    private boolean readOnly;
    private long seq;

    MemberProber(Sql sql, String member, int port, String run, Duration interval, AttemptLog log) {
        this.sql = sql;
        this.member = member;
        this.port = port;
        this.run = run;
        this.intervalNanos = interval.toNanos();
        this.log = log;
    }

    @Override
    public void run() {
        Boolean lastOk = null;
        long next = System.nanoTime();
        while (!stopped) {
            long n = ++seq;
            long sent = MicroClock.nowMicros();
            String error;
            try {
                if (connection == null) {
                    connection = sql.connect(port, "pgha-chaos-probe", 1, false);
                }
                error = readOnly && inRecovery() ? "in recovery" : insert(n);
            } catch (SQLException e) {
                if (READ_ONLY.equals(e.getSQLState())) {
                    readOnly = true;
                    error = Sql.describe(e);
                } else {
                    error = Sql.describe(e) + Sql.closeBroken(connection);
                    connection = null;
                    readOnly = false;
                }
            }
            long done = MicroClock.nowMicros();
            log.add(error == null ? Attempt.ack(Attempt.Source.PROBE, member, n, sent, done, port)
                    : Attempt.failure(Attempt.Source.PROBE, member, n, sent, done, error));
            if (lastOk == null || lastOk != (error == null)) {
                LOG.info("prober {}: {}", member, error == null ? "accepts writes (probe " + n + ")" : "refuses writes: " + error);
            }
            lastOk = error == null;
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private boolean inRecovery() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            readOnly = rs.getBoolean(1);
            return readOnly;
        }
    }

    /** null when the row was committed. */
    private String insert(long n) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            ps.setString(1, run);
            ps.setString(2, member);
            ps.setLong(3, n);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                readOnly = false;
                return null;
            }
        }
    }

    void stop() {
        stopped = true;
    }

    /** At the very end: closes the connection even if a commit still waits on it. */
    void abandon() {
        stopped = true;
        Sql.abandon(connection, "prober " + member);
    }
}
