package io.pgha.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pgha.contract.Cluster;
import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.Dcs;
import io.pgha.agent.postgres.ConfFiles;
import io.pgha.agent.postgres.PgSession;
import io.pgha.agent.postgres.PgSnapshot;
import io.pgha.agent.postgres.Postgres;
import io.pgha.config.AgentSettings;
import io.pgha.contract.DcsKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the leader keeps up every cycle: status optime, initialize, replication slots and history. */
final class LeaderDuties {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentSettings s;
    private final Dcs dcs;
    private final Postgres pg;
    private final PgSession session;
    private final LeaseKeeper leases;
    private final String log;
    private long lastOptime = -1;
    private final Provisioner provisioner;
    /**
     * Slots this leader has seen belong to members. Only those are dropped when their member leaves; a slot
     * someone made by hand (a backup tool, say) is never touched.
     */
    private final Set<String> memberSlots = new HashSet<>();
    /** Python's isoformat(), as Patroni writes history timestamps: 2026-11-27T20:25:45.333578+00:00. */
    static final java.time.format.DateTimeFormatter PATRONI_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final SyncReplication sync;

    LeaderDuties(AgentSettings s, Dcs dcs, Postgres pg, PgSession session, SyncReplication sync) {
        this.sync = sync;
        this.s = s;
        this.dcs = dcs;
        this.pg = pg;
        this.session = session;
        this.leases = new LeaseKeeper(dcs, "[" + s.scope() + "/" + s.name() + "] ");
        this.log = "[" + s.scope() + "/" + s.name() + "] ";
        this.provisioner = new Provisioner(s);
    }

    /** Right after promotion: slots first (followers reconnect at once), then the checkpoint pg_rewind needs. */
    void afterPromote(Cluster c) throws SQLException, DcsException, java.io.IOException {
        syncSlots(c);
        // with large shared_buffers this can outlast ttl: the lease is kept alive meanwhile
        leases.during("checkpoint", () -> {
            session.execute("CHECKPOINT");
            return null;
        });
        PgSnapshot snap = session.snapshot();
        writeHistory(c, snap.timeline());
        publishStatus(snap.walPosition());
        provisioner.reset(); // a new leader checks the databases, users and extensions once
    }

    /** Returns true when postgresql.conf must be rewritten and reloaded (synchronous_standby_names changed). */
    boolean everyCycle(Cluster c, PgSnapshot snap, DynamicConfig dyn) throws SQLException, DcsException {
        if (c.initialize() == null || c.initialize().isEmpty()) {
            dcs.put(DcsKeys.INITIALIZE, snap.systemIdentifier());
        }
        if (c.config() == null) {
            dcs.putIfModRevision(DcsKeys.CONFIG, s.bootstrapDcs().toString(), 0);
        }
        publishStatus(snap.walPosition());
        syncSlots(c);
        provisioner.ensure(session);
        if (historyStale(c.history(), snap.timeline())) {
            writeHistory(c, snap.timeline());
        }
        return sync.everyCycle(c, snap, dyn, session);
    }

    private void publishStatus(long optime) throws DcsException {
        if (optime != lastOptime) {
            dcs.put(DcsKeys.STATUS, "{\"optime\":" + optime + "}");
            lastOptime = optime;
        }
    }

    /** One physical slot per other member, named after it; slots of members gone from the DCS are dropped. */
    // (a member that left before this leader took over keeps its slot: dropping unknown slots could take a
    // slot from a tool that made it; see docs/ha-protocol.md)
    private void syncSlots(Cluster c) throws SQLException {
        Set<String> wanted = new HashSet<>();
        for (String m : c.members().keySet()) {
            if (!m.equals(s.name())) {
                wanted.add(ConfFiles.slotName(m));
            }
        }
        memberSlots.addAll(wanted);
        List<String> existing = session.physicalSlots();
        for (String slot : wanted) {
            if (!existing.contains(slot)) {
                session.execute("SELECT pg_create_physical_replication_slot(" + ActionExecutor.literal(slot) + ", true)");
                LOG.info("{}created replication slot {}", log, slot);
            }
        }
        for (String slot : existing) {
            if (!wanted.contains(slot) && memberSlots.contains(slot)) {
                try {
                    session.execute("SELECT pg_drop_replication_slot(" + ActionExecutor.literal(slot) + ")");
                    LOG.info("{}dropped replication slot {} of a member that left", log, slot);
                } catch (SQLException e) {
                    LOG.warn("{}could not drop slot {} yet: {}", log, slot, e.getMessage());
                }
            }
        }
    }

    private static boolean historyStale(JsonNode history, int timeline) {
        if (timeline <= 1) {
            return history == null;
        }
        if (history == null || !history.isArray() || history.isEmpty()) {
            return true;
        }
        JsonNode last = history.get(history.size() - 1);
        return !last.isArray() || last.size() != 5 || last.get(0).asInt() != timeline - 1;
    }

    /** Rebuilds the history key from PostgreSQL's own timeline history file, keeping known timestamps. */
    private void writeHistory(Cluster c, int timeline) throws DcsException {
        ArrayNode rows = JSON.createArrayNode();
        if (timeline > 1) {
            Path file = pg.dataDir().resolve("pg_wal").resolve(String.format("%08X.history", timeline));
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.split("\t");
                    if (f.length < 3 || !f[0].trim().matches("\\d+")) {
                        continue;
                    }
                    int tl = Integer.parseInt(f[0].trim());
                    ArrayNode row = rows.addArray();
                    row.add(tl).add(lsn(f[1].trim())).add(f[2].trim());
                    JsonNode known = knownRow(c.history(), tl);
                    if (known != null && known.size() >= 5) {
                        row.add(known.get(3)).add(known.get(4));
                    } else {
                        row.add(PATRONI_TIME.format(OffsetDateTime.now(ZoneOffset.UTC))).add(s.name());
                    }
                }
            } catch (IOException e) {
                LOG.warn("{}cannot read {}: {}", log, file, e.getMessage());
                return;
            }
        }
        dcs.put(DcsKeys.HISTORY, rows.toString());
    }

    private static JsonNode knownRow(JsonNode history, int tl) {
        if (history != null && history.isArray()) {
            for (JsonNode r : history) {
                if (r.isArray() && r.size() > 0 && r.get(0).asInt() == tl) {
                    return r;
                }
            }
        }
        return null;
    }

    static long lsn(String text) {
        String[] p = text.split("/");
        return (Long.parseLong(p[0], 16) << 32) + Long.parseLong(p[1], 16);
    }
}
