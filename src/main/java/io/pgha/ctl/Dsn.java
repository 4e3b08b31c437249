package io.pgha.ctl;

import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.net.URI;

/** `dsn [-r ROLE | -m MEMBER]`: host and port of the leader, of a member with a role, or of a named member. */
public final class Dsn {
    private Dsn() {}

    public static String of(Cluster c, String role, String member) {
        if (member != null && role != null) {
            throw new CtlException("--role and --member are mutually exclusive options");
        }
        String r = member != null ? "any" : role == null ? "leader" : role;
        Member m = MemberSelection.byRole(c, r).stream().filter(x -> member == null || x.name().equals(member)).findFirst()
                .orElseThrow(() -> new CtlException("Can not find a suitable member"));
        URI u;
        try {
            u = URI.create(m.connUrl());
        } catch (RuntimeException e) {
            throw new CtlException("member " + m.name() + " has no usable conn_url");
        }
        return "host=" + u.getHost() + " port=" + (u.getPort() > 0 ? u.getPort() : 5432);
    }
}
