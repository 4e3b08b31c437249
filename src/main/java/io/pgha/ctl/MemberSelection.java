package io.pgha.ctl;

import io.pgha.contract.ClusterView;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which members a command acts on, with patronictl's role filter (leader / primary / master /
 * standby-leader select the leader by its published role; replica / standby every other member; any all)
 * and its prompts when no member was named.
 */
public final class MemberSelection {
    public static final Set<String> ROLES = Set.of("leader", "primary", "standby-leader", "replica", "standby", "any", "master");

    private MemberSelection() {}

    public static List<Member> byRole(Cluster c, String role) {
        List<Member> out = new ArrayList<>();
        String leaderName = c.leader() == null || c.leader().name().isEmpty() ? null : c.leader().name();
        if (List.of("leader", "master", "primary", "standby-leader").contains(role)) {
            if (leaderName == null) {
                return out;
            }
            Member leader = leaderMember(c);
            String published = leader.role();
            boolean match = role.equals("leader")
                    || role.equals("standby-leader") && !"master".equals(published)
                    || (role.equals("master") || role.equals("primary")) && !"standby_leader".equals(published);
            if (match) {
                out.add(leader);
            }
            return out;
        }
        for (String name : c.memberNames()) {
            if (role.equals("any") || (role.equals("replica") || role.equals("standby")) && !name.equals(leaderName)) {
                out.add(c.members().get(name));
            }
        }
        return out;
    }

    /** The leader's member key, or an empty member (no api_url) when the leader key has none. */
    public static Member leaderMember(Cluster c) {
        Member m = c.leaderMember();
        return m != null ? m : new Member(c.leader().name(), JsonNodeFactory.instance.objectNode(), 0);
    }

    /** Members with an api_url, the leader first: whom to ask for cluster-wide changes. */
    public static List<Member> leaderFirst(Cluster c) {
        List<Member> out = new ArrayList<>();
        Member leader = c.leaderMember();
        if (leader != null && leader.apiUrl() != null) {
            out.add(leader);
        }
        for (String name : c.memberNames()) {
            Member m = c.members().get(name);
            if (m.apiUrl() != null && (leader == null || !name.equals(leader.name()))) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * patronictl's get_members: prints the cluster (unless forced without a role), narrows the named
     * members to those of the role, asks for a member when none is left and not forced, and refuses
     * names that are not candidates.
     */
    public static List<Member> choose(CtlSession s, Cluster c, String scope, List<String> names, String role, boolean force,
                                      String action, boolean askConfirmation) {
        List<Member> candidates = byRole(c, role);
        Map<String, Member> byName = new LinkedHashMap<>();
        candidates.forEach(m -> byName.put(m.name(), m));
        if (!force || role != null) {
            if (names.isEmpty() && candidates.isEmpty()) {
                throw new CtlException(scope + " cluster doesn't have any members");
            }
            s.console().print(MemberTable.render(scope, ClusterView.of(c), false, "pretty"));
        }
        Set<String> chosen = new LinkedHashSet<>();
        if (!names.isEmpty()) {
            names.stream().filter(byName::containsKey).forEach(chosen::add);
            if (chosen.isEmpty()) {
                throw new CtlException("No " + role + " among provided members");
            }
        } else if (!action.equals("reinitialize")) {
            chosen.addAll(byName.keySet());
        }
        if (chosen.isEmpty() && !force) {
            chosen.add(s.console().prompt("Which member do you want to " + action + " [" + String.join(", ", byName.keySet()) + "]?", ""));
        }
        for (String n : chosen) {
            if (!byName.containsKey(n)) {
                throw new CtlException(n + " is not a member of cluster");
            }
        }
        List<Member> members = candidates.stream().filter(m -> chosen.contains(m.name())).toList();
        if (askConfirmation) {
            confirm(s, members, force, action, null);
        }
        return members;
    }

    /** "Are you sure you want to {action} members a, b?" unless forced; no is an abort. */
    public static void confirm(CtlSession s, List<Member> members, boolean force, String action, String scheduledAt) {
        if (force) {
            return;
        }
        String names = String.join(", ", members.stream().map(Member::name).toList());
        if (scheduledAt != null) {
            if (!s.console().confirm("Are you sure you want to schedule " + action + " of members " + names + " at " + scheduledAt + "?")) {
                throw new CtlException("Aborted scheduled " + action);
            }
        } else if (!s.console().confirm("Are you sure you want to " + action + " members " + names + "?")) {
            throw new CtlException("Aborted " + action);
        }
    }
}
