package io.pgha.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The programs a local cluster needs, found before anything starts.
 *
 * @param pgBinDir PostgreSQL's bin directory (from {@code pg_config --bindir} unless given)
 * @param setpriv  null unless processes must run as another user
 * @param useradd  null unless processes must run as another user
 */
public record Binaries(Path pgBinDir, Path etcd, Path haproxy, Path pgbouncer, Path java, Path setsid,
                       Path setpriv, Path useradd) {

    /** Programs the agent runs from bin_dir. */
    static final List<String> POSTGRES_PROGRAMS = List.of("postgres", "initdb", "pg_ctl", "pg_basebackup", "pg_rewind");
    /** Debian installs HAProxy and PgBouncer in sbin, which is not on every user's PATH. */
    static final List<Path> SBIN = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    /**
     * Finds every program or fails with one line naming the first one missing.
     *
     * @param searchPath  the directories of PATH
     * @param pgBinDir    PostgreSQL's bin directory, or null to ask {@code pg_config --bindir}
     * @param java        the java launcher for the agents
     * @param switchUser  whether setpriv and useradd are needed
     */
    public static Binaries find(List<Path> searchPath, Path pgBinDir, Path java, boolean switchUser) {
        List<Path> dirs = new ArrayList<>(new LinkedHashSet<>(concat(searchPath, SBIN)));
        Path bin = pgBinDir != null ? pgBinDir : postgresBinDir(dirs);
        for (String program : POSTGRES_PROGRAMS) {
            if (!Files.isExecutable(bin.resolve(program))) {
                throw LocalException.badInput("PostgreSQL program " + program + " not found in " + bin
                        + " (install PostgreSQL server packages or pass --pg-bin-dir)");
            }
        }
        if (!Files.isExecutable(java)) {
            throw LocalException.badInput("java not found at " + java);
        }
        return new Binaries(bin,
                require(dirs, "etcd", "etcd (Debian: apt-get install etcd-server)"),
                require(dirs, "haproxy", "haproxy (apt-get install haproxy)"),
                require(dirs, "pgbouncer", "pgbouncer (apt-get install pgbouncer)"),
                java,
                require(dirs, "setsid", "setsid (util-linux)"),
                switchUser ? require(dirs, "setpriv", "setpriv (util-linux)") : null,
                switchUser ? require(dirs, "useradd", "useradd (passwd)") : null);
    }

    static Optional<Path> which(List<Path> dirs, String program) {
        return dirs.stream().map(d -> d.resolve(program)).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private static Path require(List<Path> dirs, String program, String hint) {
        return which(dirs, program).orElseThrow(() -> LocalException.badInput(
                program + " not found on PATH or in " + SBIN + ": install " + hint));
    }

    private static Path postgresBinDir(List<Path> dirs) {
        Path pgConfig = which(dirs, "pg_config").orElseThrow(() -> LocalException.badInput(
                "pg_config not found on PATH: install PostgreSQL (postgresql and libpq-dev) or pass --pg-bin-dir"));
        String out;
        try {
            out = Commands.run(List.of(pgConfig.toString(), "--bindir"), "run pg_config --bindir");
        } catch (LocalException e) {
            throw LocalException.badInput(e.getMessage() + " (or pass --pg-bin-dir)");
        }
        return Path.of(out.lines().reduce((a, b) -> b).orElse("").trim());
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
