package io.pgha.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.local.OsProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fault has changed on the machine and must be put back: a stopped agent, an iptables chain, cgroups
 * with processes in them. Kept in a file (undo.json in the results directory) from before each change until
 * it is undone, so that {@code pgha chaos cleanup} can put things back after the harness itself died. Undoing
 * touches exactly what is recorded: the processes only while they still run their recorded command line,
 * the one chain by name, the cgroups by path.
 */
final class UndoJournal {

    private static final Logger LOG = LoggerFactory.getLogger(UndoJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A process stopped with SIGSTOP, recognised by a string of its command line. */
    record Stopped(long pid, String marker) {}

    /**
     * A partition in place.
     *
     * @param cgroups  cgroup paths created for it, innermost first (removed in this order)
     * @param origins  pid → the cgroup it was in before it was moved
     * @param fallback the cgroup for processes that were forked inside ours (no origin recorded)
     */
    record Partition(String chain, List<String> cgroups, Map<Long, String> origins, String fallback) {}

    record State(List<Stopped> stopped, Partition partition) {}

    private final Path file;
    private final List<Stopped> stopped = new ArrayList<>();
    private Partition partition;

    UndoJournal(Path file) {
        this.file = file;
    }

    static UndoJournal load(Path file) {
        UndoJournal j = new UndoJournal(file);
        if (Files.exists(file)) {
            try {
                State s = JSON.readValue(file.toFile(), State.class);
                if (s.stopped() != null) {
                    j.stopped.addAll(s.stopped());
                }
                j.partition = s.partition();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return j;
    }

    synchronized void stopped(long pid, String marker) {
        stopped.add(new Stopped(pid, marker));
        save();
    }

    synchronized void continued(long pid) {
        stopped.removeIf(s -> s.pid() == pid);
        save();
    }

    synchronized void partition(Partition p) {
        partition = p;
        save();
    }

    synchronized void healed() {
        partition = null;
        save();
    }

    synchronized boolean empty() {
        return stopped.isEmpty() && partition == null;
    }

    /** Puts back everything recorded: SIGCONT to stopped processes, removes the partition. */
    synchronized void undoAll(Cgroups cgroups) {
        for (Stopped s : List.copyOf(stopped)) {
            if (OsProcess.aliveAndRuns(s.pid(), s.marker())) {
                LOG.warn("undo: SIGCONT to process {} (stopped by the harness)", s.pid());
                ProcessTree.signal("CONT", List.of(s.pid()));
            }
            stopped.remove(s);
            save();
        }
        if (partition != null) {
            LOG.warn("undo: removing the partition (chain {}, cgroups {})", partition.chain(), partition.cgroups());
            NetworkPartition.remove(partition, cgroups);
            partition = null;
            save();
        }
    }

    private void save() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), new State(List.copyOf(stopped), partition));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
