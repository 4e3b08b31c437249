package io.pgha.agent.postgres;

import io.pgha.agent.ha.ReplicationRow;
import io.pgha.agent.rest.NodeStatus;
import java.util.List;

/** One SQL read of the running instance's replication state. */
public record PgSnapshot(boolean inRecovery, long flushLocation, long receivedLocation, long replayedLocation,
                         String replayedTimestamp, boolean replayPaused, int timeline, String postmasterStartTime,
                         int serverVersion, boolean streaming, String systemIdentifier,
                         List<ReplicationRow> replication) {

    public PgSnapshot withTimeline(int tl) {
        return new PgSnapshot(inRecovery, flushLocation, receivedLocation, replayedLocation, replayedTimestamp, replayPaused,
                tl, postmasterStartTime, serverVersion, streaming, systemIdentifier, replication);
    }

    /** Patroni's position of a member: flush LSN on a primary, max(receive, replay) on a replica. */
    public long walPosition() {
        return inRecovery ? Math.max(receivedLocation, replayedLocation) : flushLocation;
    }
}
