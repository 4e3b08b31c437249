package io.pgha.local;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, bounded, until the cluster is ready: exactly one member answers 200 on GET /primary and every
 * other member 200 on GET /replica, pg_stat_replication on that leader shows every standby
 * {@code streaming}, and a connection through HAProxy's read-write port reaches a writable server.
 */
final class ReadinessWait {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessWait.class);

    private final LocalLayout layout;
    private final AgentRest rest;
    private final PgQueries pg;

    ReadinessWait(LocalLayout layout, AgentRest rest, PgQueries pg) {
        this.layout = layout;
        this.rest = rest;
        this.pg = pg;
    }

    /**
     * @param failure checked on every round: a non-null message (e.g. "agent m2 exited") ends the wait at once
     * @return the leader's name
     */
    String await(Duration timeout, Supplier<String> failure) {
        String[] lastWaitingFor = {"nothing yet"};
        String[] leader = {null};
        boolean ready = Poll.until(timeout, Duration.ofMillis(250), () -> {
            String failed = failure.get();
            if (failed != null) {
                throw LocalException.failed(failed);
            }
            String waitingFor = check(leader);
            if (!waitingFor.isEmpty() && !waitingFor.equals(lastWaitingFor[0])) {
                LOG.info("waiting for {}", waitingFor);
            }
            lastWaitingFor[0] = waitingFor;
            return waitingFor.isEmpty();
        });
        if (!ready) {
            throw LocalException.failed("cluster not ready within " + timeout.toSeconds() + " s; still waiting for "
                    + lastWaitingFor[0] + " (logs: " + layout.dir() + "/m*/agent.log)");
        }
        return leader[0];
    }

    /** What is still missing, or "" when the cluster is ready. */
    private String check(String[] leaderOut) {
        List<String> primaries = new ArrayList<>();
        List<String> notReplica = new ArrayList<>();
        for (LocalLayout.Member m : layout.members()) {
            if (rest.status(m.restBase() + "/primary") == 200) {
                primaries.add(m.name());
            } else if (rest.status(m.restBase() + "/replica") != 200) {
                notReplica.add(m.name());
            }
        }
        if (primaries.size() != 1) {
            return primaries.isEmpty() ? "a leader (no member answers 200 on GET /primary)"
                    : "a single leader (GET /primary answers 200 on " + primaries + ")";
        }
        if (!notReplica.isEmpty()) {
            return "standbys " + notReplica + " to answer 200 on GET /replica";
        }
        LocalLayout.Member leader = layout.member(primaries.get(0));
        leaderOut[0] = leader.name();
        List<String> notStreaming = new ArrayList<>();
        try {
            Map<String, String> states = pg.replication(leader.postgresPort());
            layout.members().stream().filter(m -> m != leader && !"streaming".equals(states.get(m.name())))
                    .forEach(m -> notStreaming.add(m.name()));
        } catch (SQLException e) {
            return "a SQL connection to the leader " + leader.name() + " (" + e.getMessage() + ")";
        }
        if (!notStreaming.isEmpty()) {
            return "standbys " + notStreaming + " to be streaming in pg_stat_replication on " + leader.name();
        }
        try {
            if (!pg.writable(layout.haproxy().readWrite())) {
                return "HAProxy's read-write port to reach a writable server";
            }
        } catch (SQLException e) {
            return "HAProxy's read-write port " + layout.haproxy().readWrite() + " to accept a connection ("
                    + e.getMessage() + ")";
        }
        return "";
    }
}
