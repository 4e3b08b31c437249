package io.pgha.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks at start that the agent can use its directories, so that a typo in data_dir or bin_dir is one line
 * and exit code 2 instead of a failed initdb or pg_ctl minutes later. Separate from parsing: it looks at
 * this machine, the parse does not.
 */
public final class AgentDirectories {
    private AgentDirectories() {}

    public static void check(AgentSettings s) {
        checkDataDir(s.postgresql().dataDir());
        checkBinDir(s.postgresql().binDir());
    }

    /** An existing, writable directory, or a missing one whose nearest existing parent is writable (initdb creates it). */
    static void checkDataDir(Path dataDir) {
        Path d = dataDir.toAbsolutePath().normalize();
        if (Files.exists(d)) {
            if (!Files.isDirectory(d)) {
                throw new ConfigException("postgresql.data_dir: " + d + " is not a directory");
            }
            if (!Files.isWritable(d) || !Files.isReadable(d)) {
                throw new ConfigException("postgresql.data_dir: " + d + " is not readable and writable by this user");
            }
            return;
        }
        Path parent = d.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new ConfigException("postgresql.data_dir: " + d + " does not exist and cannot be created here ("
                    + parent + " is not a writable directory)");
        }
    }

    static void checkBinDir(Path binDir) {
        if (!Files.isDirectory(binDir)) {
            throw new ConfigException("postgresql.bin_dir: " + binDir + " is not a directory");
        }
        for (String program : new String[] {"pg_ctl", "initdb", "postgres"}) {
            if (!Files.isExecutable(binDir.resolve(program))) {
                throw new ConfigException("postgresql.bin_dir: " + binDir + " has no executable " + program);
            }
        }
    }
}
