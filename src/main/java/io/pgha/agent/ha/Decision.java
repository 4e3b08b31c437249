package io.pgha.agent.ha;

/** One HA decision: the action, the member it concerns (leader to follow, source to clone), and why. */
public record Decision(Action action, String target, String reason) {

    public static Decision of(Action action, String reason) {
        return new Decision(action, null, reason);
    }

    public static Decision of(Action action, String target, String reason) {
        return new Decision(action, target, reason);
    }

    @Override
    public String toString() {
        return action + (target == null ? "" : "(" + target + ")") + ": " + reason;
    }
}
