package io.pgha.local;

import io.pgha.config.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The cluster's three PostgreSQL logins (superuser, replication, rewind) and the login of the agents' REST
 * write endpoints (HTTP Basic, used by patronictl and pgha ctl). Passwords are generated once
 * with SecureRandom and kept in DIR/secrets/NAME.password (directory 700, files 600, owned by whoever
 * ran {@code up}); later runs read them back. They are never logged.
 */
public record LocalSecrets(Credentials superuser, Credentials replication, Credentials rewind, Credentials restApi) {

    public static final String SUPERUSER = "postgres";
    public static final String REPLICATION = "replicator";
    public static final String REWIND = "rewinder";
    public static final String REST_API = "patroni";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads the passwords from {@code dir}, creating any that do not exist yet. */
    public static LocalSecrets loadOrCreate(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return new LocalSecrets(
                    new Credentials(SUPERUSER, passwordIn(file(dir, SUPERUSER))),
                    new Credentials(REPLICATION, passwordIn(file(dir, REPLICATION))),
                    new Credentials(REWIND, passwordIn(file(dir, REWIND))),
                    new Credentials(REST_API, passwordIn(file(dir, "restapi"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep passwords in " + dir, e);
        }
    }

    /** Reads an existing password file (used by status/readiness checks). */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw LocalException.failed("cannot read the password in " + file + ": " + e.getMessage());
        }
    }

    /** Where the password of {@code user} is kept. */
    public static Path file(Path dir, String user) {
        return dir.resolve(user + ".password");
    }

    private static String passwordIn(Path file) throws IOException {
        if (Files.exists(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!existing.isEmpty()) {
                return existing;
            }
        }
        String password = generate();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return password;
    }

    /** 24 random bytes, URL-safe Base64: 32 characters that need no quoting in YAML, ini files or URLs. */
    static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
