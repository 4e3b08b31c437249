package io.pgha.agent;

import io.pgha.agent.postgres.PgSession;
import io.pgha.config.AgentSettings;
import io.pgha.config.GucCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameter names of this member's PostgreSQL, for PATCH/PUT /config. From {@code pg_settings} when the
 * server runs (complete, cached for the agent's life: the names of a binary do not change); when it does
 * not, from {@code postgres --describe-config} of bin_dir, which needs no running server but leaves out
 * developer options, so that answer is used only until pg_settings can be read. Empty when neither works.
 */
final class ServerGucCatalog implements GucCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ServerGucCatalog.class);

    private final AgentSettings s;
    private final String log;
    private Set<String> fromServer;
    private Set<String> fromBinary;

    ServerGucCatalog(AgentSettings s, String log) {
        this.s = s;
        this.log = log;
    }

    @Override
    public synchronized Optional<Set<String>> names() {
        if (fromServer == null) {
            fromServer = fromPgSettings();
        }
        if (fromServer != null) {
            return Optional.of(fromServer);
        }
        if (fromBinary == null) {
            fromBinary = fromDescribeConfig();
        }
        return Optional.ofNullable(fromBinary);
    }

    private Set<String> fromPgSettings() {
        try (PgSession session = new PgSession(s, "pgha-gucs");
             Statement st = session.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM pg_settings")) {
            Set<String> names = new HashSet<>();
            while (rs.next()) {
                names.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
            return Set.copyOf(names);
        } catch (SQLException e) {
            return null; // PostgreSQL is down or starting: the binary's list stands in
        }
    }

    private Set<String> fromDescribeConfig() {
        java.nio.file.Path out = null;
        try {
            out = java.nio.file.Files.createTempFile("pgha-gucs", ".txt"); // a file: a full pipe cannot block it
            Process p = new ProcessBuilder(s.postgresql().binDir().resolve("postgres").toString(), "--describe-config")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                LOG.warn("{}cannot list PostgreSQL's parameters: postgres --describe-config failed", log);
                return null;
            }
            Set<String> names = new HashSet<>();
            java.nio.file.Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                    .map(l -> l.split("\t", 2)[0].strip().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty())
                    .forEach(names::add);
            return names.isEmpty() ? null : Set.copyOf(names);
        } catch (IOException e) {
            LOG.warn("{}cannot list PostgreSQL's parameters: {}", log, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    java.nio.file.Files.deleteIfExists(out);
                } catch (IOException e) {
                    LOG.debug("{}temporary file {} left behind: {}", log, out, e.getMessage());
                }
            }
        }
    }
}
