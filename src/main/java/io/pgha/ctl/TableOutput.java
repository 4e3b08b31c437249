package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rows of a patronictl table printed in one of its formats: pretty (boxed), tsv, json or yaml (a list of
 * objects keyed by column name). Cells are JSON values so numbers stay numbers in json and yaml.
 */
public final class TableOutput {
    public static final Set<String> FORMATS = Set.of("pretty", "tsv", "json", "yaml", "yml", "topology");

    private TableOutput() {}

    /**
     * @param title table title; for member tables (first column "Cluster") empty cells are left out of
     *              json/yaml and the Cluster column is dropped from pretty output, as patronictl does
     */
    public static String print(List<String> columns, List<List<JsonNode>> rows, Set<String> rightAligned, String fmt, String title) {
        if (!FORMATS.contains(fmt)) {
            throw new CtlException("unknown output format " + fmt + " (pretty, tsv, json, yaml)");
        }
        if (fmt.equals("json") || fmt.equals("yaml") || fmt.equals("yml")) {
            var list = JsonNodeFactory.instance.arrayNode();
            for (List<JsonNode> r : rows) {
                ObjectNode o = list.addObject();
                for (int i = 0; i < columns.size(); i++) {
                    if (title == null || !pyStr(r.get(i)).isEmpty()) {
                        o.set(columns.get(i), r.get(i));
                    }
                }
            }
            return fmt.equals("json") ? PyJson.dumps(list) + "\n" : PyYaml.dump(list, false) + "\n";
        }
        boolean memberTable = title != null && !columns.isEmpty() && columns.get(0).equals("Cluster");
        List<List<String>> text = new ArrayList<>();
        int tags = columns.indexOf("Tags");
        for (List<JsonNode> r : rows) {
            List<String> t = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                JsonNode v = r.get(i);
                // member tags are shown as YAML: block style in the box, one flow line elsewhere
                t.add(memberTable && i == tags && v.isObject() && !v.isEmpty() ? PyYaml.dump(v, !fmt.equals("pretty")).strip() : pyStr(v));
            }
            text.add(t);
        }
        List<String> cols = columns;
        if (memberTable && !fmt.equals("tsv")) {
            cols = columns.subList(1, columns.size());
            text = text.stream().map(r -> r.subList(1, r.size())).toList();
        }
        if (fmt.equals("tsv")) {
            StringBuilder b = new StringBuilder(String.join("\t", cols)).append('\n');
            text.forEach(r -> b.append(String.join("\t", r)).append('\n'));
            return b.toString();
        }
        return PrettyTable.render(title, cols, text, rightAligned);
    }

    /**
     * Python's str() of a JSON value, which is what patronictl puts in a table cell. Objects and arrays only
     * get here for odd member data (tags are rendered as YAML before), so their repr is approximated.
     */
    public static String pyStr(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "True" : "False";
        }
        if (v.isContainerNode()) {
            return PyJson.dumps(v).replace('"', '\'').replace(": true", ": True").replace(": false", ": False");
        }
        return v.asText();
    }
}
