package io.pgha.agent.postgres;

import io.pgha.config.AgentSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Controls the local PostgreSQL instance through its own programs (initdb, pg_ctl, pg_basebackup, pg_rewind). */
public final class Postgres implements PostmasterControl {
    private static final Logger LOG = LoggerFactory.getLogger(Postgres.class);

    private final AgentSettings s;
    private final Path dataDir;
    private final String log;

    public Postgres(AgentSettings settings) {
        this.s = settings;
        this.dataDir = settings.postgresql().dataDir().toAbsolutePath();
        this.log = "[" + settings.scope() + "/" + settings.name() + "] ";
    }

    public Path dataDir() {
        return dataDir;
    }

    /** pg_ctl's server log lives beside PGDATA so that clones and rewinds never carry it along. */
    public Path serverLog() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public String socketDir() {
        return dataDir.getParent() == null ? "/tmp" : dataDir.getParent().toString();
    }

    private String bin(String program) {
        return s.postgresql().binDir().resolve(program).toString();
    }

    public boolean dataDirEmpty() {
        if (!Files.isDirectory(dataDir)) {
            return true;
        }
        return !Files.exists(dataDir.resolve("PG_VERSION"));
    }

    /**
     * Files that are not a PostgreSQL cluster: anything but dotfiles and lost+found in a directory without
     * PG_VERSION (Patroni's rule). A wrong data_dir must never be wiped by a clone or a bootstrap.
     */
    public boolean dataDirForeign() {
        if (!Files.isDirectory(dataDir) || Files.exists(dataDir.resolve("PG_VERSION"))) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.map(p -> p.getFileName().toString()).anyMatch(n -> !n.startsWith(".") && !n.equals("lost+found"));
        } catch (IOException e) {
            return true; // unreadable: treat as not ours
        }
    }

    public boolean hasStandbySignal() {
        return Files.exists(dataDir.resolve("standby.signal"));
    }

    public ControlData controlData() throws IOException {
        PgCommand.Result r = PgCommand.run(List.of(bin("pg_controldata"), "-D", dataDir.toString()), Map.of(), Duration.ofSeconds(10));
        if (!r.ok()) {
            throw new IOException("pg_controldata failed: " + r.output().strip());
        }
        return ControlData.parse(r.output());
    }

    /** The postmaster's pid from postmaster.pid if that process is alive, else -1. */
    public long postmasterPid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return -1;
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            long pid = Long.parseLong(first);
            return PgProcesses.alive(pid) ? pid : -1;
        } catch (IOException | NumberFormatException e) {
            return -1; // a half-written pid file: the postmaster is starting or gone; the next probe decides
        }
    }

    /** Lock files naming a dead (or zombie) process: postmaster.pid and one socket lock per socket directory. */
    private void removeStaleLockFiles() throws IOException {
        List<Path> locks = new ArrayList<>(List.of(dataDir.resolve("postmaster.pid")));
        String dirs = s.postgresql().parameters().getOrDefault("unix_socket_directories", socketDir());
        for (String dir : dirs.split(",")) {
            if (!dir.isBlank()) {
                locks.add(Path.of(dir.trim()).resolve(".s.PGSQL." + s.postgresql().listen().port() + ".lock"));
            }
        }
        LockFiles.removeStale(locks);
    }

    /** Removes standby.signal: pg_rewind's single-user crash recovery refuses to run in standby mode. */
    public void clearStandbySignal() throws IOException {
        Files.deleteIfExists(dataDir.resolve("standby.signal"));
    }

    /**
     * Kills the backends and auxiliary processes a dead postmaster left behind (they hold its shared memory,
     * and a new postmaster refuses to start until they are gone; left alone they take a second or two to
     * notice). Found from /proc by data directory, uid and binary ({@link PgProcesses}): never another
     * cluster's, never a live postmaster's children.
     *
     * @param wait how long to wait for them to exit (zero: signal only, for a thread that must not block)
     */
    @Override
    public int killOrphans(Duration wait) {
        List<Long> orphans = processes().orphans();
        if (orphans.isEmpty()) {
            return 0;
        }
        int killed = PgProcesses.kill(orphans, wait.toMillis());
        LOG.info("{}killed {} process(es) left behind by the dead postmaster", log, killed);
        if (!wait.isZero()) {
            orphans.stream().filter(PgProcesses::alive).forEach(pid ->
                    LOG.warn("{}left-over PostgreSQL process {} did not exit within {} ms of SIGKILL", log, pid, wait.toMillis()));
        }
        return killed;
    }

    private PgProcesses processes() {
        return new PgProcesses(Path.of("/proc"), dataDir, Path.of(bin("postgres")));
    }

    // ------------------------------------------------------------------ files

    /** Writes postgresql.conf, pg_hba.conf and standby.signal (or removes it) for the role about to run. */
    public void writeConfig(Map<String, String> dynamic, ConfFiles.Upstream upstream, boolean standby) throws IOException {
        Path base = dataDir.resolve(ConfFiles.BASE_CONF);
        Path conf = dataDir.resolve("postgresql.conf");
        if (!Files.exists(base) && Files.exists(conf)) {
            Files.move(conf, base); // keep initdb's file, included from ours
        }
        writePassFile(); // before the conninfo that names it
        writePrivate(conf, ConfFiles.postgresqlConf(s, dynamic, upstream, socketDir()));
        writePrivate(dataDir.resolve("pg_hba.conf"), ConfFiles.pgHba(s));
        Path signal = dataDir.resolve("standby.signal");
        if (standby) {
            if (!Files.exists(signal)) {
                Files.createFile(signal);
            }
        } else {
            Files.deleteIfExists(signal);
        }
        Files.deleteIfExists(dataDir.resolve("recovery.signal"));
    }

    /** A parameter as our postgresql.conf sets it, or null (no file, or not set there). */
    public String writtenParameter(String name) {
        try {
            Path conf = dataDir.resolve("postgresql.conf");
            return Files.exists(conf) ? ConfFiles.parameter(Files.readString(conf), name) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The member named in our postgresql.conf as upstream, or null. */
    public String following() {
        try {
            Path conf = dataDir.resolve("postgresql.conf");
            return Files.exists(conf) ? ConfFiles.following(Files.readString(conf)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    // ------------------------------------------------------------------ lifecycle

    public void initdb(List<String> options) throws IOException {
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Path pw = Files.createTempFile(dataDir.getParent(), "pgha-pw", ".tmp");
        try {
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(pw, s.postgresql().superuser().password() + "\n");
            List<String> cmd = new ArrayList<>(List.of(bin("initdb"), "-D", dataDir.toString(),
                    "--username=" + s.postgresql().superuser().username(), "--pwfile=" + pw,
                    "--auth-local=peer", "--auth-host=scram-sha-256"));
            cmd.addAll(options);
            if (options.stream().noneMatch(o -> o.startsWith("--data-checksums") || o.equals("-k"))) {
                cmd.add("--data-checksums"); // pg_rewind needs checksums or wal_log_hints
            }
            PgCommand.Result r = PgCommand.run(cmd, Map.of(), Duration.ofMinutes(5));
            if (!r.ok()) {
                throw new IOException("initdb failed: " + tail(r.output()));
            }
        } finally {
            Files.deleteIfExists(pw);
        }
        LOG.info("{}initdb done in {}", log, dataDir);
    }

    /** Starts the postmaster without waiting; the HA loop watches it come up. */
    public void start() throws IOException {
        killOrphans(Duration.ofSeconds(2));
        removeStaleLockFiles();
        PgCommand.Result r = PgCommand.run(List.of(bin("pg_ctl"), "start", "-W", "-D", dataDir.toString(),
                "-l", serverLog().toString()), Map.of(), Duration.ofSeconds(30));
        if (!r.ok()) {
            throw new IOException("pg_ctl start failed: " + tail(r.output()));
        }
    }

    public void startAndWait(Duration timeout) throws IOException {
        PgCommand.Result r = PgCommand.run(List.of(bin("pg_ctl"), "start", "-w", "-t", Long.toString(timeout.toSeconds()),
                "-D", dataDir.toString(), "-l", serverLog().toString()), Map.of(), timeout.plusSeconds(5));
        if (!r.ok()) {
            throw new IOException("pg_ctl start failed: " + tail(r.output()) + " (see " + serverLog() + ")");
        }
    }

    /**
     * A fast shutdown by signal (SIGINT, what pg_ctl sends) with the postmaster's exit watched every 10 ms:
     * pg_ctl polls every 100 ms, and its own start-up adds more, all of it write outage during a switchover.
     * Falls back to pg_ctl when the signal cannot be sent.
     */
    public boolean stopFast(Duration timeout) throws IOException {
        long pid = postmasterPid();
        if (pid < 0) {
            return true;
        }
        if (!signal(pid, "INT")) {
            return stop("fast", timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!PgProcesses.alive(pid)) {
                return true;
            }
            try {
                Thread.sleep(10); // the postmaster's exit offers no event to wait on from here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while PostgreSQL stops", e);
            }
        }
        LOG.warn("{}PostgreSQL did not finish a fast shutdown within {} s", log, timeout.toSeconds());
        return false;
    }

    private boolean signal(long pid, String sig) {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            LOG.warn("{}could not signal postmaster {}: {}", log, pid, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The checkpoint location if pg_control already says "shut down" (the shutdown checkpoint is written: no
     * backend is left to take a write, the postmaster only waits for its WAL senders), else -1. Read straight
     * from global/pg_control (state at byte 16, checkPoint at byte 32, little-endian on the platforms PostgreSQL
     * packages ship for here) because it is polled every few milliseconds while PostgreSQL stops.
     */
    public long shutDownCheckpoint() {
        try (var ch = java.nio.channels.FileChannel.open(dataDir.resolve("global").resolve("pg_control"))) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(40).order(java.nio.ByteOrder.nativeOrder());
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read the 40 bytes we need
            }
            if (b.hasRemaining()) {
                return -1;
            }
            return b.getInt(16) == 1 /* DB_SHUTDOWNED */ ? b.getLong(32) : -1;
        } catch (IOException e) {
            return -1; // not readable now: the caller waits for the postmaster to exit instead
        }
    }

    /** Whether the postmaster named by {@code pid} is still alive. */
    public boolean running(long pid) {
        return PgProcesses.alive(pid);
    }

    /** Sends SIGINT (fast shutdown) to the postmaster; false when none runs or the signal failed. */
    public boolean requestFastShutdown(long pid) {
        return pid > 0 && signal(pid, "INT");
    }

    /** @param mode smart | fast | immediate */
    public boolean stop(String mode, Duration timeout) throws IOException {
        if (postmasterPid() < 0) {
            return true;
        }
        PgCommand.Result r = PgCommand.run(List.of(bin("pg_ctl"), "stop", "-m", mode, "-w", "-t", Long.toString(Math.max(1, timeout.toSeconds())),
                "-D", dataDir.toString()), Map.of(), timeout.plusSeconds(5));
        if (!r.ok() && postmasterPid() >= 0) {
            LOG.warn("{}pg_ctl stop -m {} failed: {}", log, mode, tail(r.output()));
            return false;
        }
        return true;
    }

    /**
     * Stops the postmaster at once with SIGQUIT (what "pg_ctl stop -m immediate" sends) by its pid, without
     * pg_ctl's own checks and waits: used to fence a primary whose lease is about to run out.
     */
    public boolean quitNow() {
        long pid = postmasterPid();
        if (pid < 0) {
            return false;
        }
        return signal(pid, "QUIT");
    }

    /**
     * Last resort when SIGQUIT could not be sent: SIGKILL the postmaster first (it forks no more), then every
     * process of this data directory, twice in case one was forked between the postmaster's scan and its kill.
     */
    public void killNow() {
        long pid = postmasterPid();
        if (pid > 0) {
            PgProcesses.kill(List.of(pid), 500);
        }
        PgProcesses p = processes();
        PgProcesses.kill(p.all(), 1000);
        int left = PgProcesses.kill(p.all(), 1000);
        if (left > 0) {
            LOG.warn("{}{} PostgreSQL process(es) still running after SIGKILL", log, left);
        }
    }

    public void reload() throws IOException {
        PgCommand.Result r = PgCommand.run(List.of(bin("pg_ctl"), "reload", "-D", dataDir.toString()), Map.of(), Duration.ofSeconds(10));
        if (!r.ok()) {
            throw new IOException("pg_ctl reload failed: " + tail(r.output()));
        }
    }

    // ------------------------------------------------------------------ copies

    public void basebackup(String host, int port) throws IOException {
        wipeDataDir();
        AgentSettings.Login repl = s.postgresql().replication();
        writePassFile();
        PgCommand.Result r = PgCommand.run(List.of(bin("pg_basebackup"), "-D", dataDir.toString(), "-h", host,
                        "-p", Integer.toString(port), "-U", repl.username(), "-X", "stream", "-c", "fast", "--no-password"),
                Map.of("PGPASSFILE", passFile().toString(), "PGCONNECT_TIMEOUT", "5", "PGAPPNAME", s.name()), Duration.ofHours(6));
        if (!r.ok()) {
            wipeDataDir();
            throw new IOException("pg_basebackup from " + host + ":" + port + " failed: " + tail(r.output()));
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    }

    /** pg_rewind against the new leader; PostgreSQL 13+ first completes crash recovery on its own. */
    public PgCommand.Result rewind(String host, int port) throws IOException {
        AgentSettings.Login login = s.postgresql().rewind() != null ? s.postgresql().rewind() : s.postgresql().superuser();
        String source = "host=" + host + " port=" + port + " user=" + login.username() + " dbname=" + s.postgresql().database()
                + " connect_timeout=5 target_session_attrs=read-write";
        writePassFile();
        return PgCommand.run(List.of(bin("pg_rewind"), "-D", dataDir.toString(), "--source-server=" + source, "--progress"),
                Map.of("PGPASSFILE", passFile().toString()), Duration.ofHours(1));
    }

    /** libpq's password file for the walreceiver, pg_basebackup and pg_rewind ({@link PassFile}). */
    public Path passFile() {
        return PassFile.of(s);
    }

    private void writePassFile() throws IOException {
        PassFile.write(s, passFile());
    }

    public void wipeDataDir() throws IOException {
        if (!Files.exists(dataDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dataDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dataDir)) {
                    Files.delete(p);
                }
            }
        }
    }

    static String tail(String output) {
        String t = output.strip();
        String[] lines = t.split("\n");
        return String.join(" | ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }
}
