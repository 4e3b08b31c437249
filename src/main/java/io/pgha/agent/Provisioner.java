package io.pgha.agent;

import io.pgha.agent.postgres.PgSession;
import io.pgha.config.AgentSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's provisioning duty: make the databases, users and extensions of pgha.provisioning_file exist.
 * Runs after each promotion and whenever the file changes (the operator rewrites it when the spec's lists
 * grow). Only ever creates and grants; never drops, so removing an entry keeps the data. A user's password is
 * (re)set from its secret file every time, so rotating the Secret takes effect.
 */
final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);

    private final AgentSettings s;
    private final AgentSettings.Provisioning p;
    private final String log;
    private String appliedText;
    private String failedText;

    Provisioner(AgentSettings s) {
        this.s = s;
        this.p = s.provisioning();
        this.log = "[" + s.scope() + "/" + s.name() + "] ";
    }

    /** Forget what was applied: a new leader applies everything once. */
    void reset() {
        appliedText = null;
        failedText = null;
    }

    /** Applies the file if it changed since the last success (cheap when nothing changed: one file read). */
    void ensure(PgSession session) {
        if (p == null) {
            return;
        }
        String text;
        try {
            text = Files.readString(p.file(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (failedText == null) {
                LOG.warn("{}cannot read {}: {}", log, p.file(), e.getMessage());
                failedText = "";
            }
            return;
        }
        if (text.equals(appliedText) || text.equals(failedText)) {
            return;
        }
        try {
            apply(ProvisioningSpec.parse(text), session);
            appliedText = text;
            failedText = null;
        } catch (IOException | SQLException e) {
            // logged once per version of the file: a broken spec must not flood the log every cycle
            LOG.error("{}provisioning from {} failed: {}", log, p.file(), e.getMessage());
            failedText = text;
        }
    }

    private void apply(ProvisioningSpec spec, PgSession session) throws IOException, SQLException {
        for (ProvisioningSpec.User u : spec.users()) {
            String password = password(u);
            boolean exists = session.exists("SELECT 1 FROM pg_roles WHERE rolname = ?", u.name());
            StringBuilder sql = new StringBuilder(exists ? "ALTER ROLE " : "CREATE ROLE ").append(ActionExecutor.ident(u.name()))
                    .append(" WITH LOGIN");
            u.options().forEach(o -> sql.append(' ').append(o));
            if (password != null) {
                sql.append(" PASSWORD ").append(ActionExecutor.literal(password));
            }
            session.execute(sql.toString());
            if (!exists) {
                LOG.info("{}created user {}", log, u.name());
            }
        }
        for (ProvisioningSpec.Database d : spec.databases()) {
            if (!session.exists("SELECT 1 FROM pg_database WHERE datname = ?", d.name())) {
                session.execute("CREATE DATABASE " + ActionExecutor.ident(d.name())
                        + (d.owner() == null ? "" : " OWNER " + ActionExecutor.ident(d.owner())));
                LOG.info("{}created database {}{}", log, d.name(), d.owner() == null ? "" : " owned by " + d.owner());
            }
        }
        for (ProvisioningSpec.User u : spec.users()) {
            for (String db : u.databases()) {
                session.execute("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + ActionExecutor.ident(db) + " TO " + ActionExecutor.ident(u.name()));
            }
        }
        if (!spec.extensions().isEmpty()) {
            for (ProvisioningSpec.Database d : spec.databases()) {
                try (PgSession db = new PgSession(s, "pgha-provisioning", d.name())) {
                    for (String ext : spec.extensions()) {
                        db.execute("CREATE EXTENSION IF NOT EXISTS " + ActionExecutor.ident(ext));
                    }
                }
            }
            LOG.info("{}extensions {} present in {}", log, spec.extensions(), spec.databases().stream().map(ProvisioningSpec.Database::name).toList());
        }
    }

    private String password(ProvisioningSpec.User u) throws IOException {
        if (u.passwordSecret() == null || p.userSecretsDir() == null) {
            return null;
        }
        Path f = p.userSecretsDir().resolve(u.passwordSecret()).resolve("password");
        if (!Files.exists(f)) {
            throw new IOException("password of user " + u.name() + " not found in " + f);
        }
        return Files.readString(f, StandardCharsets.UTF_8).strip();
    }
}
