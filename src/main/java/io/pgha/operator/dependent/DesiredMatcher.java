package io.pgha.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether an existing object already carries everything the desired one says. "Carries" is containment, not
 * equality: the API server adds defaults (and the agent adds its role label) that the operator must not
 * treat as drift. Skipping matching writes keeps hundreds of clusters cheap to reconcile.
 */
public final class DesiredMatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IGNORED = Set.of("apiVersion", "kind", "metadata", "status");

    private DesiredMatcher() {}

    public static boolean matches(HasMetadata existing, HasMetadata desired) {
        JsonNode e = JSON.valueToTree(existing);
        JsonNode d = JSON.valueToTree(desired);
        Iterator<Map.Entry<String, JsonNode>> fields = d.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!IGNORED.contains(f.getKey()) && !contains(e.get(f.getKey()), f.getValue())) {
                return false;
            }
        }
        JsonNode em = e.path("metadata");
        JsonNode dm = d.path("metadata");
        return contains(em.get("labels"), dm.get("labels")) && contains(em.get("annotations"), dm.get("annotations"))
                && contains(em.get("ownerReferences"), dm.get("ownerReferences"));
    }

    static boolean contains(JsonNode actual, JsonNode wanted) {
        if (wanted == null || wanted.isNull() || (wanted.isContainerNode() && wanted.isEmpty())) {
            return true;
        }
        if (actual == null || actual.isNull()) {
            return false;
        }
        if (wanted.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = wanted.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!contains(actual.get(f.getKey()), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (wanted.isArray()) {
            if (!actual.isArray() || actual.size() != wanted.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!contains(actual.get(i), wanted.get(i))) {
                    return false;
                }
            }
            return true;
        }
        // "10Gi" and quantities, numbers and strings: compare the text
        return actual.asText().equals(wanted.asText());
    }
}
