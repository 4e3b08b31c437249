package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.util.List;

/** `version [CLUSTER [MEMBER...]]`: the CLI's version, then each member's agent and PostgreSQL version. */
public final class VersionReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CtlSession s;

    public VersionReport(CtlSession s) {
        this.s = s;
    }

    public void run(String ctlVersion, String scope, List<String> names) {
        s.console().println("pgha ctl version " + ctlVersion);
        if (scope == null) {
            return;
        }
        s.console().println("");
        Cluster c = s.store().read(scope);
        for (Member m : MemberSelection.byRole(c, "any")) {
            if (m.apiUrl() == null || !names.isEmpty() && !names.contains(m.name())) {
                continue;
            }
            try {
                JsonNode status = JSON.readTree(s.api().call(m, "GET", null, null).body());
                JsonNode pg = status.get("server_version");
                String pgText = pg != null && pg.canConvertToInt() && pg.asInt() > 0 ? " PostgreSQL " + pgVersion(pg.asInt()) : "";
                s.console().println(m.name() + ": Patroni " + status.path("patroni").path("version").asText("None") + pgText);
            } catch (PatroniApi.Unreachable | java.io.IOException e) {
                s.console().fail(m.name() + ": failed to get version: " + e.getMessage());
            }
        }
    }

    /** 150010 is 15.10, 90624 is 9.6.24. */
    static String pgVersion(int v) {
        return v < 100000 ? v / 10000 + "." + v / 100 % 100 + "." + v % 100 : v / 10000 + "." + v % 100;
    }
}
