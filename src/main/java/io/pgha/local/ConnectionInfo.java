package io.pgha.local;

import java.nio.file.Path;

/** What {@code up} prints once the cluster is ready: how to connect and where to look. Holds no password. */
public final class ConnectionInfo {

    private ConnectionInfo() {}

    public static String render(LocalUp.Result r) {
        LocalLayout l = r.layout();
        Path dir = l.dir();
        String user = LocalSecrets.SUPERUSER;
        String rw = "postgresql://" + user + "@" + LocalLayout.HOST + ":" + l.haproxy().readWrite() + "/postgres";
        String ro = "postgresql://" + user + "@" + LocalLayout.HOST + ":" + l.haproxy().readOnly() + "/postgres";
        // there is no `pgha` on PATH: show the command that works, with the jar copy the cluster runs from
        String pgha = "java -jar " + dir.resolve("pgha.jar");
        return String.join("\n",
                "pgha local cluster '" + l.scope() + "' is " + (r.restarted() ? "running again" : "up") + " in " + dir
                        + ": " + l.members().size() + " member(s), leader " + r.leader(),
                "  read-write:  psql \"" + rw + "\"",
                "  read-only:   psql \"" + ro + "\"",
                "  password of " + user + " in " + r.superuserPasswordFile()
                        + "  (e.g. PGPASSWORD=\"$(cat " + r.superuserPasswordFile() + ")\" psql \"" + rw + "\")",
                "  status:      " + pgha + " local status --dir " + dir,
                "               " + pgha + " ctl -c " + l.patronictlFile() + " list",
                "               patronictl -c " + l.patronictlFile() + " list",
                "  HAProxy stats: http://" + LocalLayout.HOST + ":" + l.haproxy().stats() + "/",
                "  stop:        " + pgha + " local down --dir " + dir,
                "");
    }
}
