package io.pgha.agent.postgres;

import java.util.HashMap;
import java.util.Map;

/** The parts of pg_controldata's output the agent needs. */
public record ControlData(String state, String systemIdentifier, int timeline, boolean dataChecksums, boolean walLogHints,
                          long checkpointLocation) {

    public ControlData(String state, String systemIdentifier, int timeline, boolean dataChecksums, boolean walLogHints) {
        this(state, systemIdentifier, timeline, dataChecksums, walLogHints, 0);
    }

    public static ControlData parse(String output) {
        Map<String, String> m = new HashMap<>();
        for (String line : output.split("\n")) {
            int i = line.indexOf(':');
            if (i > 0) {
                m.put(line.substring(0, i).trim(), line.substring(i + 1).trim());
            }
        }
        int tl = 0;
        try {
            tl = Integer.parseInt(m.getOrDefault("Latest checkpoint's TimeLineID", "0"));
        } catch (NumberFormatException e) {
            tl = 0;
        }
        String checksums = m.getOrDefault("Data page checksum version", "0");
        return new ControlData(m.getOrDefault("Database cluster state", "unknown"),
                m.get("Database system identifier"), tl, !"0".equals(checksums),
                "on".equals(m.get("wal_log_hints setting")), lsn(m.get("Latest checkpoint location")));
    }

    /** "0/3000060" as bytes; 0 when absent or malformed. */
    static long lsn(String text) {
        if (text == null || !text.matches("[0-9A-Fa-f]+/[0-9A-Fa-f]+")) {
            return 0;
        }
        String[] p = text.split("/");
        return (Long.parseLong(p[0], 16) << 32) + Long.parseLong(p[1], 16);
    }

    /** The location of the shutdown checkpoint of a primary that stopped cleanly, else 0. */
    public long cleanShutdownCheckpoint() {
        return state.equals("shut down") ? checkpointLocation : 0;
    }

    /** The data directory last ran as a primary (cleanly stopped or not). */
    public boolean primaryState() {
        return state.equals("in production") || state.equals("shut down") || state.equals("shutting down")
                || state.equals("in crash recovery");
    }
}
