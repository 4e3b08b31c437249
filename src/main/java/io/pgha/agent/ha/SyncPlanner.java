package io.pgha.agent.ha;

import io.pgha.contract.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The leader's synchronous-replication step (patroni-compat.md §4), pure: from pg_stat_replication, the
 * members in the DCS, the {@code sync} key and the synchronous_standby_names (SSN) PostgreSQL runs with, the
 * one change to make this cycle. The order of changes keeps the invariant "every standby in the sync key holds
 * every commit the primary acknowledged": a name leaves the key before it leaves SSN, and enters the key only
 * after PostgreSQL waits for it and it has caught up with everything acknowledged before that.
 */
public final class SyncPlanner {

    private SyncPlanner() {}

    /** What the settings ask for. {@code commitLevel} is synchronous_commit (which LSN column counts). */
    public record Settings(String me, int nodeCount, boolean strict, long maximumLagOnSyncnode, String commitLevel) {}

    /**
     * One cycle's input.
     *
     * @param keyStandbys   the standbys the sync key lists (its leader is already this member)
     * @param ssnNames      the names in the SSN PostgreSQL runs with; empty for "" and for "*"
     * @param ssnValue      that SSN as written
     * @param caughtUpFrom  per standby PostgreSQL reports as sync: the primary's flush LSN when that was first seen
     */
    public record Input(Settings settings, List<ReplicationRow> replication, Map<String, Member> members,
                        Set<String> keyStandbys, Set<String> ssnNames, String ssnValue, Map<String, Long> caughtUpFrom,
                        boolean primaryJustStarted) {

        public Input(Settings settings, List<ReplicationRow> replication, Map<String, Member> members, Set<String> keyStandbys,
                     Set<String> ssnNames, String ssnValue, Map<String, Long> caughtUpFrom) {
            this(settings, replication, members, keyStandbys, ssnNames, ssnValue, caughtUpFrom, false);
        }
    }

    /** The change: exactly one of the three kinds, or none. */
    public record Step(Kind kind, Set<String> standbys, String ssn, String why) {
        public enum Kind { NONE, WRITE_KEY, SET_SSN }
    }

    public static Step plan(Input in) {
        List<String> picked = pick(in);
        Set<String> keep = new TreeSet<>(in.keyStandbys());
        keep.retainAll(picked);
        if (!keep.equals(in.keyStandbys()) && in.primaryJustStarted()) {
            // our PostgreSQL has just (re)started: its standbys reconnect in a moment. SSN still names them, so
            // nothing is acknowledged without them and they stay eligible for a failover meanwhile
            return new Step(Step.Kind.NONE, in.keyStandbys(), null, null);
        }
        if (!keep.equals(in.keyStandbys())) {
            return new Step(Step.Kind.WRITE_KEY, keep, null, "dropping " + minus(in.keyStandbys(), keep)
                    + " from the sync key before PostgreSQL stops waiting for them");
        }
        String ssn = ssnFor(picked, in.settings().strict());
        if (!ssn.equals(in.ssnValue())) {
            return new Step(Step.Kind.SET_SSN, Set.copyOf(picked), ssn, "synchronous_standby_names = '" + ssn + "'");
        }
        Set<String> grown = new TreeSet<>(keep);
        for (String name : picked) {
            ReplicationRow r = row(in.replication(), name);
            Long from = in.caughtUpFrom().get(name);
            if (!keep.contains(name) && in.ssnNames().contains(name) && r != null && "sync".equals(r.syncState())
                    && from != null && lsn(r, in.settings().commitLevel()) >= from) {
                grown.add(name);
            }
        }
        if (!grown.equals(keep)) {
            return new Step(Step.Kind.WRITE_KEY, grown, null, "adding " + minus(grown, keep)
                    + " to the sync key: PostgreSQL waits for them and they have caught up");
        }
        return new Step(Step.Kind.NONE, keep, null, null);
    }

    /**
     * The standbys SSN should name: streaming members that are running, not tagged nosync, ordered with those
     * PostgreSQL already treats as sync first, then the most advanced; nofailover members last; those more than
     * maximum_lag_on_syncnode behind the best are left out.
     */
    static List<String> pick(Input in) {
        Settings s = in.settings();
        List<ReplicationRow> eligible = new ArrayList<>();
        for (ReplicationRow r : in.replication()) {
            Member m = in.members().get(r.applicationName());
            if (m != null && !m.name().equals(s.me()) && "streaming".equals(r.state()) && m.isRunning() && !m.tag("nosync")) {
                eligible.add(r);
            }
        }
        long best = eligible.stream().mapToLong(r -> lsn(r, s.commitLevel())).max().orElse(0);
        List<ReplicationRow> ordered = eligible.stream()
                .filter(r -> s.maximumLagOnSyncnode() < 0 || best - lsn(r, s.commitLevel()) <= s.maximumLagOnSyncnode())
                .sorted(Comparator.<ReplicationRow, Boolean>comparing(r -> in.members().get(r.applicationName()).tag("nofailover"))
                        .thenComparing(r -> !"sync".equals(r.syncState()))
                        .thenComparing(r -> -lsn(r, s.commitLevel()))
                        .thenComparing(ReplicationRow::applicationName))
                .toList();
        List<String> out = new ArrayList<>();
        for (ReplicationRow r : ordered) {
            if (out.size() < s.nodeCount() && !out.contains(r.applicationName())) {
                out.add(r.applicationName());
            }
        }
        return out;
    }

    /** "" or "*" with nobody to wait for; one quoted name; or "N (a,b)" in priority order. */
    static String ssnFor(List<String> picked, boolean strict) {
        if (picked.isEmpty()) {
            return strict ? "*" : "";
        }
        List<String> quoted = picked.stream().sorted().map(n -> "\"" + n.replace("\"", "\"\"") + "\"").toList();
        return quoted.size() == 1 ? quoted.get(0) : quoted.size() + " (" + String.join(",", quoted) + ")";
    }

    /** The names an SSN value lists ("*" and "" list none). */
    public static Set<String> names(String ssn) {
        Set<String> out = new LinkedHashSet<>();
        if (ssn == null) {
            return out;
        }
        String list = ssn.trim();
        int open = list.indexOf('(');
        if (open >= 0 && list.endsWith(")")) {
            list = list.substring(open + 1, list.length() - 1);
        }
        for (String part : list.split(",")) {
            String n = part.trim();
            if (n.startsWith("\"") && n.endsWith("\"") && n.length() >= 2) {
                n = n.substring(1, n.length() - 1).replace("\"\"", "\"");
            }
            if (!n.isEmpty() && !n.equals("*")) {
                out.add(n);
            }
        }
        return out;
    }

    static ReplicationRow row(List<ReplicationRow> rows, String name) {
        return rows.stream().filter(r -> name.equals(r.applicationName())).findFirst().orElse(null);
    }

    /** The position that releases a waiting commit at this synchronous_commit level. */
    public static long lsn(ReplicationRow r, String commitLevel) {
        return switch (commitLevel == null ? "on" : commitLevel) {
            case "remote_apply" -> r.replayLsn();
            case "remote_write" -> r.writeLsn();
            default -> r.flushLsn();
        };
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
