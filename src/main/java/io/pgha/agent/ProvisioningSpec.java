package io.pgha.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the leader must make exist: databases with owners, login roles with options and their databases, and
 * extensions in every listed database. Read from the YAML the operator renders; names and options are checked
 * here, because they end up in SQL.
 */
record ProvisioningSpec(List<Database> databases, List<User> users, List<String> extensions) {

    record Database(String name, String owner) {}

    record User(String name, List<String> databases, List<String> options, String passwordSecret) {}

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$-]{0,62}");
    /** Role attributes that may be given; anything else (e.g. SQL in disguise) is refused. */
    private static final Set<String> OPTIONS = Set.of("LOGIN", "NOLOGIN", "CREATEDB", "NOCREATEDB", "CREATEROLE",
            "NOCREATEROLE", "INHERIT", "NOINHERIT", "REPLICATION", "NOREPLICATION", "BYPASSRLS", "NOBYPASSRLS",
            "SUPERUSER", "NOSUPERUSER");
    private static final Pattern CONNECTION_LIMIT = Pattern.compile("CONNECTION LIMIT -?\\d{1,6}");

    static ProvisioningSpec parse(String yaml) throws IOException {
        JsonNode root = new YAMLMapper().readTree(yaml);
        if (root == null || !root.isObject()) {
            throw new IOException("a mapping with databases, users and extensions is expected");
        }
        List<Database> dbs = new ArrayList<>();
        for (JsonNode d : root.path("databases")) {
            dbs.add(new Database(name(d.path("name").asText(null), "database"), d.hasNonNull("owner") ? name(d.get("owner").asText(), "owner") : null));
        }
        List<User> users = new ArrayList<>();
        for (JsonNode u : root.path("users")) {
            List<String> udbs = new ArrayList<>();
            u.path("databases").forEach(x -> udbs.add(x.asText()));
            for (String db : udbs) {
                name(db, "database of user " + u.path("name").asText());
            }
            List<String> opts = new ArrayList<>();
            for (JsonNode o : u.path("options")) {
                String opt = o.asText().trim().toUpperCase(Locale.ROOT);
                if (!OPTIONS.contains(opt) && !CONNECTION_LIMIT.matcher(opt).matches()) {
                    throw new IOException("user " + u.path("name").asText() + ": option " + o.asText() + " is not a role attribute pgha sets");
                }
                opts.add(opt);
            }
            users.add(new User(name(u.path("name").asText(null), "user"), udbs, opts, u.path("passwordSecret").asText(null)));
        }
        List<String> ext = new ArrayList<>();
        for (JsonNode e : root.path("extensions")) {
            ext.add(name(e.asText(), "extension"));
        }
        return new ProvisioningSpec(dbs, users, ext);
    }

    private static String name(String n, String what) throws IOException {
        if (n == null || !NAME.matcher(n).matches()) {
            throw new IOException(what + " name " + n + " is not a plain lower-case identifier");
        }
        return n;
    }
}
