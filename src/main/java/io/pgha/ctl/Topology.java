package io.pgha.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `topology` order: the leader first, then each member under the member it replicates from (its
 * replicatefrom tag when that names another non-leader member, the leader otherwise), indented by depth
 * with "+ ". Members caught in a replicatefrom cycle are not reachable from the leader and are not shown,
 * as in patronictl.
 */
final class Topology {
    private Topology() {}

    static List<ObjectNode> order(List<ObjectNode> members) {
        ObjectNode leader = members.stream().filter(m -> m.get("role").asText().endsWith("leader")).findFirst().orElse(null);
        String leaderName = leader == null ? null : leader.get("name").asText();
        Set<String> replicas = new HashSet<>();
        members.stream().filter(m -> m != leader && !m.get("role").asText().endsWith("leader"))
                .forEach(m -> replicas.add(m.get("name").asText()));
        Map<String, List<ObjectNode>> children = new HashMap<>();
        for (ObjectNode m : members) {
            if (m.get("role").asText().endsWith("leader")) {
                continue;
            }
            String parent = m.path("tags").path("replicatefrom").asText("");
            if (parent.isEmpty() || parent.equals(m.get("name").asText()) || !replicas.contains(parent)) {
                parent = leaderName;
            }
            children.computeIfAbsent(parent == null ? "" : parent, k -> new ArrayList<>()).add(m);
        }
        List<ObjectNode> out = new ArrayList<>();
        if (leader != null) {
            out.add(leader.deepCopy());
        }
        walk(leaderName == null ? "" : leaderName, 1, children, out);
        return out;
    }

    private static void walk(String parent, int level, Map<String, List<ObjectNode>> children, List<ObjectNode> out) {
        for (ObjectNode m : children.getOrDefault(parent, List.of())) {
            ObjectNode copy = m.deepCopy();
            String name = m.get("name").asText();
            copy.put("name", " ".repeat((level - 1) * 2) + "+ " + name);
            out.add(copy);
            walk(name, level + 1, children, out);
        }
    }
}
