package io.pgha.ctl;

import io.pgha.contract.ClusterView;
import io.pgha.contract.Cluster;

/**
 * `remove CLUSTER`: wipes the cluster's keys from the DCS after three confirmations typed in full (the
 * cluster name, a sentence, and the leader's name when there is a leader), exactly as patronictl asks.
 */
public final class Remove {
    private static final String AWARE = "Yes I am aware";
    private final CtlSession s;

    public Remove(CtlSession s) {
        this.s = s;
    }

    public void run(String scope, String fmt) {
        Cluster c = s.store().read(scope);
        s.console().print(MemberTable.render(scope, ClusterView.of(c), false, fmt));
        if (!scope.equals(s.console().prompt("Please confirm the cluster name to remove", null))) {
            throw new CtlException("Cluster names specified do not match");
        }
        if (!AWARE.equals(s.console().prompt("You are about to remove all information in DCS for " + scope + ", please type: \"" + AWARE + "\"", null))) {
            throw new CtlException("You did not exactly type \"" + AWARE + "\"");
        }
        if (c.leader() != null && !c.leader().name().isEmpty()
                && !c.leader().name().equals(s.console().prompt("This cluster currently is healthy. Please specify the leader name to continue", null))) {
            throw new CtlException("You did not specify the current leader of the cluster");
        }
        s.store().deleteCluster(scope);
    }
}
