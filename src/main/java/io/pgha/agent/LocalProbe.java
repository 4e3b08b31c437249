package io.pgha.agent;

import io.pgha.agent.ha.LocalState;
import io.pgha.agent.postgres.ControlData;
import io.pgha.agent.postgres.PgSession;
import io.pgha.agent.postgres.PgSnapshot;
import io.pgha.agent.postgres.Postgres;
import java.io.IOException;
import java.sql.SQLException;

/** Reads the local PostgreSQL's state for one HA cycle: SQL when it runs, pg_controldata when it does not. */
final class LocalProbe {

    /** The probe's result: the decision input plus the raw SQL snapshot (null when not running). */
    record Result(LocalState state, PgSnapshot snapshot, String pgState) {}

    private final Postgres pg;
    private final PgSession session;
    private long notStreamingSinceMillis;
    /** The PostgreSQL start and upstream the count above belongs to: a restart or a new upstream starts it afresh. */
    private String notStreamingOf;
    /**
     * Highest timeline seen on this postmaster's WAL receiver. Once the upstream is gone PostgreSQL only
     * offers the last checkpoint's timeline, which can be older than the one replayed; forgetting the
     * received one would make the member look stale in an election.
     */
    private int replicaTimeline;
    private String replicaTimelineOf;

    LocalProbe(Postgres pg, PgSession session) {
        this.pg = pg;
        this.session = session;
    }

    private ControlData cachedControl;
    private String cachedControlStamp;

    /** pg_controldata forks a program: run it only when global/pg_control has changed since the last run. */
    private ControlData controlData() throws IOException {
        java.nio.file.Path file = pg.dataDir().resolve("global").resolve("pg_control");
        String stamp = java.nio.file.Files.getLastModifiedTime(file).toMillis() + "/" + java.nio.file.Files.size(file);
        if (!stamp.equals(cachedControlStamp)) {
            cachedControl = pg.controlData();
            cachedControlStamp = stamp;
        }
        return cachedControl;
    }

    Result probe(boolean startFailed) {
        if (pg.dataDirForeign()) {
            throw new ActionExecutor.FatalError("data directory " + pg.dataDir() + " is not empty and holds no "
                    + "PostgreSQL cluster (no PG_VERSION): refusing to initialize or clone over it");
        }
        if (pg.dataDirEmpty()) {
            return new Result(new LocalState(true, false, false, false, false, null, 0, 0, null, false, false, 0), null, "stopped");
        }
        String following = pg.following();
        boolean standbySignal = pg.hasStandbySignal();
        long pid = pg.postmasterPid();
        if (pid > 0) {
            try {
                PgSnapshot s = session.snapshot();
                long now = System.currentTimeMillis();
                int timeline = s.timeline();
                if (s.inRecovery()) {
                    if (!String.valueOf(s.postmasterStartTime()).equals(replicaTimelineOf)) {
                        replicaTimelineOf = String.valueOf(s.postmasterStartTime());
                        replicaTimeline = 0;
                    }
                    replicaTimeline = Math.max(replicaTimeline, s.timeline());
                    timeline = replicaTimeline;
                }
                boolean streaming = s.inRecovery() && s.streaming();
                // the WAL receiver of a standby just (re)started or re-pointed has not had its chance to connect:
                // "not streaming" counts from then, or a slow connection looks like divergence (a rewind loop)
                String of = s.postmasterStartTime() + "|" + following;
                if (!of.equals(notStreamingOf)) {
                    notStreamingOf = of;
                    notStreamingSinceMillis = 0;
                }
                if (!s.inRecovery() || streaming) {
                    notStreamingSinceMillis = 0;
                } else if (notStreamingSinceMillis == 0) {
                    notStreamingSinceMillis = now;
                }
                long notStreaming = notStreamingSinceMillis == 0 ? 0 : now - notStreamingSinceMillis;
                return new Result(new LocalState(false, true, false, s.inRecovery(), !standbySignal, s.systemIdentifier(),
                        timeline, s.walPosition(), following, false, streaming, notStreaming), s.withTimeline(timeline), "running");
            } catch (SQLException e) {
                // postmaster alive but not answering: starting up (or shutting down)
                return new Result(new LocalState(false, false, true, standbySignal, !standbySignal, null, 0, 0, following, false, false, 0),
                        null, "starting");
            }
        }
        try {
            ControlData cd = controlData();
            boolean wasPrimary = cd.primaryState() && !standbySignal;
            return new Result(new LocalState(false, false, false, false, wasPrimary, cd.systemIdentifier(), cd.timeline(),
                    0, following, startFailed, false, 0, wasPrimary ? cd.cleanShutdownCheckpoint() : 0), null,
                    startFailed ? "start failed" : "stopped");
        } catch (IOException e) {
            return new Result(new LocalState(false, false, false, false, false, null, 0, 0, following, startFailed, false, 0),
                    null, "unknown");
        }
    }
}
