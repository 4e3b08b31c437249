package io.pgha.sim;

import io.pgha.agent.ha.ReplicationRow;
import io.pgha.agent.ha.SyncPlanner;
import io.pgha.agent.rest.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One member's PostgreSQL, as far as safety is concerned. The data directory: system identifier, timeline,
 * the WAL as a list of globally unique record ids (its length is the flush LSN; one WAL is a prefix of another
 * when they hold the same record at the shorter one's end), what pg_control says (primary or standby, clean
 * shutdown checkpoint), standby.signal, and the written primary_conninfo and synchronous_standby_names (SSN).
 * The postmaster: its pid, starting, running (in recovery or not), stopping fast, or exiting after SIGQUIT
 * (it takes a while, and can still acknowledge commits meanwhile); SIGKILL ends it at once. SSN is applied by
 * the WAL senders at a reload (pg_stat_replication's sync_state) but by committing backends only once the
 * checkpointer has reloaded, which waits for an immediate checkpoint in progress (hole 7 of issue 11).
 * A commit is acknowledged once the standbys SSN makes it wait for have flushed it.
 */
public final class SimPostgres {
    public enum Phase { NONE, STARTING, RUNNING, FAST_STOP, QUITTING }

    final String name;
    private final SimWorld world;
    private final Scheduler sched;

    // the data directory
    boolean initialized;
    String sysid;
    int timeline;
    ArrayList<Long> wal = new ArrayList<>();
    boolean standbySignal;
    /** pg_control: in production / shut down as a primary (true), or in archive recovery (false). */
    boolean controlPrimary;
    long cleanShutdownCheckpoint;
    String upstream;
    String ssnWritten = "";
    /** The timeline history file: {timeline, where the next one forked}. */
    List<long[]> history = new ArrayList<>();

    // the postmaster
    Phase phase = Phase.NONE;
    long pid = -1;
    boolean inRecovery;
    boolean streaming;
    long startedAt;
    String walsenderSsn = "";
    String checkpointerSsn = "";
    private boolean reloadPending;
    private long checkpointBusyUntil;
    /** How long an exit after SIGQUIT takes (a schedule may make it slow). */
    public long quitExitNanos = TimeUnit.MILLISECONDS.toNanos(30);
    private final List<long[]> pendingCommits = new ArrayList<>();

    SimPostgres(String name, SimWorld world) {
        this.name = name;
        this.world = world;
        this.sched = world.sched;
    }

    public long pid() {
        return phase == Phase.NONE ? -1 : pid;
    }

    public Phase phase() {
        return phase;
    }

    /** Can a commit be acknowledged here now? From promotion (or start as primary) until the postmaster is gone. */
    public boolean writable() {
        return (phase == Phase.RUNNING || phase == Phase.QUITTING || phase == Phase.FAST_STOP) && !inRecovery;
    }

    public boolean running() {
        return phase == Phase.RUNNING;
    }

    public boolean inRecovery() {
        return inRecovery;
    }

    public boolean streaming() {
        return streaming;
    }

    public boolean initialized() {
        return initialized;
    }

    public int timeline() {
        return timeline;
    }

    public long lsn() {
        return wal.size();
    }

    public String upstream() {
        return upstream;
    }

    public boolean standbySignal() {
        return standbySignal;
    }

    public boolean controlPrimary() {
        return controlPrimary;
    }

    public long cleanShutdownCheckpoint() {
        return cleanShutdownCheckpoint;
    }

    public String ssnWritten() {
        return ssnWritten;
    }

    public String sysid() {
        return sysid;
    }

    public String startTime() {
        return Long.toString(startedAt);
    }

    public List<long[]> history() {
        return history;
    }

    public boolean holds(long record) {
        return wal.contains(record);
    }

    // ------------------------------------------------------------------ data directory

    public void initdb() {
        initialized = true;
        sysid = "7" + Math.abs(sched.random().nextLong() % 1_000_000_000_000L);
        timeline = 1;
        wal = new ArrayList<>(List.of(world.nextRecord()));
        controlPrimary = true;
        standbySignal = false;
    }

    public void writeConfig(String upstream, String ssn, boolean standby) {
        this.upstream = upstream;
        this.ssnWritten = ssn == null ? "" : ssn;
        this.standbySignal = standby;
    }

    /** pg_basebackup (or pg_rewind: the same, for this model) from a running member; false when it cannot connect. */
    public boolean copyFrom(String source, boolean rewind) {
        sched.advance(TimeUnit.MILLISECONDS.toNanos(rewind ? 100 + sched.random().nextInt(300) : 200 + sched.random().nextInt(600)));
        SimPostgres src = world.pg(source);
        if (src == null || src.phase != Phase.RUNNING || !world.reachable(name, source) || phase != Phase.NONE) {
            return false;
        }
        initialized = true;
        sysid = src.sysid;
        timeline = src.timeline;
        wal = new ArrayList<>(src.wal);
        history = src.history;
        controlPrimary = false;
        cleanShutdownCheckpoint = 0;
        return true;
    }

    public void wipe() {
        initialized = false;
        wal = new ArrayList<>();
        controlPrimary = false;
        standbySignal = false;
    }

    // ------------------------------------------------------------------ postmaster

    public void start() {
        if (phase != Phase.NONE || !initialized) {
            return;
        }
        pid = world.nextPid();
        phase = Phase.STARTING;
        long myPid = pid;
        sched.after(TimeUnit.MILLISECONDS.toNanos(100 + sched.random().nextInt(400)), name + ": postmaster " + myPid + " accepts connections", () -> {
            if (phase == Phase.STARTING && pid == myPid) {
                phase = Phase.RUNNING;
                startedAt = sched.now();
                inRecovery = standbySignal;
                walsenderSsn = checkpointerSsn = inRecovery ? "" : ssnWritten;
                streaming = false;
                if (!inRecovery) {
                    controlPrimary = true;
                    cleanShutdownCheckpoint = 0;
                }
            }
        });
    }

    /** SIGQUIT: the postmaster and its backends exit after {@link #quitExitNanos}. */
    public boolean quit() {
        if (phase == Phase.NONE) {
            return false;
        }
        if (phase != Phase.QUITTING) {
            phase = Phase.QUITTING;
            long myPid = pid;
            sched.after(quitExitNanos, name + ": postmaster " + myPid + " exited after SIGQUIT", () -> {
                if (pid == myPid && phase == Phase.QUITTING) {
                    exit();
                }
            });
        }
        return true;
    }

    /** SIGKILL of the postmaster and every child: gone now. */
    public void kill() {
        if (phase != Phase.NONE) {
            sched.note(name + ": postmaster " + pid + " SIGKILLed");
            exit();
        }
    }

    /** A fast shutdown: sessions end, a shutdown checkpoint, the standbys receive it, exit. */
    public void stopFast() {
        if (phase != Phase.RUNNING && phase != Phase.STARTING) {
            return;
        }
        phase = Phase.FAST_STOP;
        long myPid = pid;
        sched.after(TimeUnit.MILLISECONDS.toNanos(50 + sched.random().nextInt(200)), name + ": postmaster " + myPid + " shut down", () -> {
            if (pid == myPid && phase == Phase.FAST_STOP) {
                if (!inRecovery) {
                    cleanShutdownCheckpoint = wal.size(); // where the shutdown checkpoint record starts
                    wal.add(world.nextRecord());
                    world.replicateNow();
                }
                exit();
            }
        });
    }

    private void exit() {
        phase = Phase.NONE;
        streaming = false;
        pendingCommits.clear();
    }

    /** pg_promote(): recovery ends a moment later on a new timeline. */
    public void promote() {
        if (phase != Phase.RUNNING || !inRecovery) {
            return;
        }
        long myPid = pid;
        sched.after(TimeUnit.MILLISECONDS.toNanos(5 + sched.random().nextInt(60)), name + ": promoted", () -> {
            if (pid == myPid && phase == Phase.RUNNING && inRecovery) {
                inRecovery = false;
                streaming = false;
                standbySignal = false;
                controlPrimary = true;
                history = new ArrayList<>(history);
                history.add(new long[] {timeline, wal.size()});
                timeline = timeline + 1;
                wal.add(world.nextRecord());
                walsenderSsn = ssnWritten;
                checkpointerSsn = checkpointBusy() ? checkpointerSsn : ssnWritten;
            }
        });
    }

    public void reload() {
        if (phase != Phase.RUNNING) {
            return;
        }
        walsenderSsn = inRecovery ? "" : ssnWritten;
        if (checkpointBusy()) {
            reloadPending = true; // the checkpointer handles the reload once the checkpoint has ended
        } else {
            checkpointerSsn = walsenderSsn;
        }
    }

    private boolean checkpointBusy() {
        return sched.now() < checkpointBusyUntil;
    }

    /** An immediate checkpoint (CHECKPOINT, the one after a promotion, a schedule's fault) of {@code nanos}. */
    public void checkpoint(long nanos) {
        checkpointBusyUntil = Math.max(checkpointBusyUntil, sched.now() + nanos);
        long until = checkpointBusyUntil;
        sched.at(until, null, () -> {
            if (reloadPending && !checkpointBusy()) {
                reloadPending = false;
                checkpointerSsn = walsenderSsn;
            }
        });
    }

    public String checkpointerWaitEvent() {
        return checkpointBusy() ? "CheckpointWriteDelay" : "CheckpointerMain";
    }

    // ------------------------------------------------------------------ commits and replication

    /** A client's commit; the record id, or -1 when not possible here. Acknowledged later by {@link SimWorld}. */
    public long commit() {
        if (phase != Phase.RUNNING || inRecovery) {
            return -1;
        }
        long id = world.nextRecord();
        wal.add(id);
        pendingCommits.add(new long[] {id, wal.size()});
        acknowledge();
        return id;
    }

    /** Streams from the upstream primary if it can (no cascading in this model). */
    public void replicate() {
        if (phase != Phase.RUNNING || !inRecovery) {
            return;
        }
        SimPostgres up = upstream == null ? null : world.pg(upstream);
        boolean can = up != null && up.phase != Phase.NONE && up.phase != Phase.STARTING && !up.inRecovery
                && world.reachable(name, upstream) && prefixOf(wal, up.wal);
        streaming = can;
        if (can && up.wal.size() > wal.size()) {
            wal.addAll(up.wal.subList(wal.size(), up.wal.size()));
        }
        if (can && up.timeline > timeline) {
            timeline = up.timeline;
            history = up.history;
        }
    }

    static boolean prefixOf(List<Long> a, List<Long> b) {
        return a.size() <= b.size() && (a.isEmpty() || a.get(a.size() - 1).equals(b.get(a.size() - 1)));
    }

    /** The standbys streaming from this primary, in SSN priority for {@code ssn}; the first N are its sync standbys. */
    private List<SimPostgres> syncStandbys(String ssn) {
        if (ssn == null || ssn.isBlank()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(SyncPlanner.names(ssn));
        boolean any = ssn.trim().equals("*");
        List<SimPostgres> streamingHere = world.standbysOf(name);
        List<SimPostgres> candidates = new ArrayList<>();
        if (any) {
            candidates.addAll(streamingHere);
        } else {
            for (String n : names) {
                streamingHere.stream().filter(s -> s.name.equals(n)).forEach(candidates::add);
            }
        }
        int count = count(ssn, names.size());
        return candidates.subList(0, Math.min(count, candidates.size()));
    }

    private static int count(String ssn, int listed) {
        String t = ssn.trim();
        int open = t.indexOf('(');
        if (open > 0) {
            return Integer.parseInt(t.substring(0, open).trim());
        }
        return 1;
    }

    /** Acknowledges the commits every standby the committing backends wait for (checkpointer's SSN) has flushed. */
    void acknowledge() {
        if (pendingCommits.isEmpty() || !writable()) {
            return;
        }
        boolean waits = !checkpointerSsn.isBlank();
        int needed = waits ? count(checkpointerSsn, 0) : 0;
        List<SimPostgres> sync = waits ? syncStandbys(checkpointerSsn) : List.of();
        if (waits && sync.size() < needed) {
            return;
        }
        long upTo = sync.stream().mapToLong(s -> prefixOf(s.wal, wal) ? s.wal.size() : 0).min().orElse(Long.MAX_VALUE);
        pendingCommits.removeIf(c -> {
            if (c[1] <= upTo) {
                world.acknowledged(name, c[0]);
                return true;
            }
            return false;
        });
    }

    /** pg_stat_replication as the WAL senders see it. */
    public List<ReplicationRow> replicationRows() {
        List<SimPostgres> sync = syncStandbys(walsenderSsn);
        java.util.Set<String> listed = SyncPlanner.names(walsenderSsn);
        List<ReplicationRow> rows = new ArrayList<>();
        for (SimPostgres s : world.standbysOf(name)) {
            String state = sync.contains(s) ? "sync" : listed.contains(s.name) || walsenderSsn.trim().equals("*") ? "potential" : "async";
            long lsn = s.wal.size();
            rows.add(new ReplicationRow("replicator", s.name, "10.0.0." + s.name.substring(1), "streaming", state,
                    sync.contains(s) ? 1 : 0, lsn, lsn, lsn));
        }
        return rows;
    }
}
