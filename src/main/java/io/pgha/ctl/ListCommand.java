package io.pgha.ctl;

import io.pgha.contract.ClusterView;
import io.pgha.contract.Cluster;
import java.time.LocalDateTime;
import java.util.List;

/** `list` and `topology`: read each cluster and print its members, once or every N seconds. */
public final class ListCommand {
    private static final String CLEAR_SCREEN = "\033[2J\033[1;1H";
    private final CtlSession s;

    public ListCommand(CtlSession s) {
        this.s = s;
    }

    /**
     * @param watchSeconds repeat every this many seconds (forever, until interrupted); 0 prints once
     * @param clearScreen  clear the terminal before each round (only when it is a terminal)
     */
    public void run(List<String> scopes, boolean extended, boolean timestamp, String fmt, double watchSeconds, boolean clearScreen) {
        while (true) {
            StringBuilder round = new StringBuilder();
            if (watchSeconds > 0 && clearScreen) {
                round.append(CLEAR_SCREEN);
            }
            if (timestamp) {
                round.append(PyTime.timestamp(LocalDateTime.now(s.zone()), false)).append('\n');
            }
            for (String scope : scopes) {
                Cluster c = s.store().read(scope);
                round.append(MemberTable.render(scope, ClusterView.of(c), extended, fmt));
            }
            s.console().print(round.toString());
            if (watchSeconds <= 0) {
                return;
            }
            try {
                Thread.sleep((long) (watchSeconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
