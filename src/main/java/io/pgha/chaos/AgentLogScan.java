package io.pgha.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an agent's log says it did to its own PostgreSQL during a fault: the lines of a self-fence. Used by
 * slow-etcd, where a healthy primary must not stop, and by fence-thread-death, where it must.
 */
final class AgentLogScan {

    /** The HA loop's decision to stop PostgreSQL as primary (its decisions are logged as "ACTION: reason"). */
    private static final Pattern DEMOTE = Pattern.compile("\\bDEMOTE[(:]");

    /**
     * @param fenceStops    the in-agent fence stopped PostgreSQL (authority about to end)
     * @param watchdogStops the external watchdog stopped it (the agent did not renew in time)
     * @param demotions     DEMOTE decisions of the HA loop
     * @param safetyFaults  SAFETY FAULT lines (the fence or the watchdog cannot be trusted)
     */
    record SelfFence(int fenceStops, int watchdogStops, int demotions, int safetyFaults) {
        boolean any() {
            return fenceStops + watchdogStops + demotions > 0;
        }

        @Override
        public String toString() {
            return fenceStops + " fence stops, " + watchdogStops + " watchdog stops, " + demotions + " demotions, "
                    + safetyFaults + " safety faults";
        }
    }

    private AgentLogScan() {}

    /** Counts the self-fence lines among {@code lines}. Pure. */
    static SelfFence scan(List<String> lines) {
        int fence = 0;
        int watchdog = 0;
        int demote = 0;
        int safety = 0;
        for (String l : lines) {
            if (l.contains("PostgreSQL stopped immediately")) {
                fence++;
            }
            if (l.contains("agent did not renew its lease in time")) {
                watchdog++;
            }
            if (DEMOTE.matcher(l).find()) {
                demote++;
            }
            if (l.contains("SAFETY FAULT")) {
                safety++;
            }
        }
        return new SelfFence(fence, watchdog, demote, safety);
    }

    /** Counts occurrences of {@code text} among {@code lines}. Pure. */
    static int count(List<String> lines, String text) {
        return (int) lines.stream().filter(l -> l.contains(text)).count();
    }

    /** The size of {@code log} now (0 when missing): where to read from after the fault. */
    static long mark(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lines written to {@code log} since {@code mark} (all of it if the file is shorter: replaced). */
    static List<String> since(Path log, long mark) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = f.length() < mark ? 0 : mark;
            byte[] bytes = new byte[(int) Math.min(f.length() - from, 64L * 1024 * 1024)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log + ": " + e.getMessage(), e);
        }
    }
}
