package io.pgha.ctl;

import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.util.List;

/** `reload`: POST /reload to each chosen member (it re-reads its local configuration). */
public final class Reload {
    private final CtlSession s;

    public Reload(CtlSession s) {
        this.s = s;
    }

    public void run(String scope, List<String> names, String role, boolean force) {
        Cluster c = s.store().read(scope);
        for (Member m : MemberSelection.choose(s, c, scope, names, role, force, "reload", true)) {
            PatroniApi.Reply r = s.api().call(m, "POST", "reload", null);
            if (r.status() == 200) {
                s.console().println("No changes to apply on member " + m.name());
            } else if (r.status() == 202) {
                String loopWait = c.config() == null || !c.config().has("loop_wait") ? "None" : c.config().get("loop_wait").asText();
                s.console().println("Reload request received for member " + m.name() + " and will be processed within " + loopWait + " seconds");
            } else {
                s.console().fail("Failed: reload for member " + m.name() + ", status code=" + r.status() + ", (" + r.body() + ")");
            }
        }
    }
}
