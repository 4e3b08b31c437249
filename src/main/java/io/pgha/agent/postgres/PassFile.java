package io.pgha.agent.postgres;

import io.pgha.config.AgentSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * libpq's password file (a "passfile", as Patroni's {@code postgresql.pgpass}) through which the walreceiver,
 * pg_basebackup and pg_rewind get their passwords. A password in {@code primary_conninfo} would be printed
 * by PostgreSQL in its server log on every reload that changes it; a path is not a secret.
 *
 * <p>The file lives beside PGDATA ({@code <data_dir>.pgpass}), never inside: pg_basebackup and pg_rewind copy
 * the data directory, and a copy of the password would travel with every clone. Its lines use wildcards for
 * host, port and database ({@code *:*:*:user:password}), so the file does not change when the upstream does:
 * no moment exists in which the walreceiver reads a file that does not match its conninfo.
 */
public final class PassFile {

    private PassFile() {}

    /** Where the passfile of a member lives: {@code <data_dir>.pgpass}. */
    public static Path of(AgentSettings s) {
        Path dataDir = s.postgresql().dataDir().toAbsolutePath();
        return dataDir.resolveSibling(dataDir.getFileName() + ".pgpass");
    }

    /**
     * The file's lines: the replication login (walreceiver, pg_basebackup), then the rewind login (pg_rewind;
     * the superuser when no rewind user is configured). libpq takes the first line whose user matches.
     */
    static String render(AgentSettings s) {
        AgentSettings.Postgres pg = s.postgresql();
        Set<String> lines = new LinkedHashSet<>();
        lines.add(line(pg.replication()));
        lines.add(line(pg.rewind() != null ? pg.rewind() : pg.superuser()));
        return String.join("\n", lines) + "\n";
    }

    private static String line(AgentSettings.Login login) {
        return "*:*:*:" + field(login.username()) + ":" + field(login.password());
    }

    /**
     * One field of a passfile line: libpq reads a backslash as "take the next character literally", so
     * {@code \} and {@code :} are escaped. A line break cannot be represented at all and is refused.
     */
    static String field(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a user name or password with a line break cannot be written to libpq's password file");
        }
        return value.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** Renders and writes the member's passfile; a login that cannot be written there is an IOException. */
    static void write(AgentSettings s, Path file) throws IOException {
        String content;
        try {
            content = render(s);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        write(file, content);
    }

    /**
     * Writes the file atomically with mode 0600 from its creation (libpq ignores a passfile that others may
     * read, and the password must never sit in a readable file, even for a moment).
     */
    static void write(Path file, String content) throws IOException {
        // a clone is the first to write here, before pg_basebackup creates PGDATA (and its parents) itself
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
