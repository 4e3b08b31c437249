package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** One member as its agent reports it (GET /patroni), not as the operator guesses it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemberStatus {
    public String name;
    /** primary, replica, or unknown when the agent did not answer. */
    public String role;
    /** The agent's state: running, starting, stopped, unreachable… */
    public String state;
    public Long timeline;
    public Long lagBytes;
    public Boolean pendingRestart;

    public MemberStatus() {}

    public MemberStatus(String name, String role, String state, Long timeline, Long lagBytes, Boolean pendingRestart) {
        this.name = name;
        this.role = role;
        this.state = state;
        this.timeline = timeline;
        this.lagBytes = lagBytes;
        this.pendingRestart = pendingRestart;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberStatus m && Objects.equals(name, m.name) && Objects.equals(role, m.role)
                && Objects.equals(state, m.state) && Objects.equals(timeline, m.timeline)
                && Objects.equals(lagBytes, m.lagBytes) && Objects.equals(pendingRestart, m.pendingRestart);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, role, state, timeline);
    }
}
