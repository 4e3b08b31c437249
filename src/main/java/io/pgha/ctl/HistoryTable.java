package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgha.contract.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** `history`: the history key as a table TL / LSN / Reason / Timestamp / New Leader, short rows padded. */
public final class HistoryTable {
    private static final List<String> COLUMNS = List.of("TL", "LSN", "Reason", "Timestamp", "New Leader");

    private HistoryTable() {}

    public static String render(Cluster c, String fmt) {
        List<List<JsonNode>> rows = new ArrayList<>();
        if (c.history() != null && c.history().isArray()) {
            for (JsonNode line : c.history()) {
                if (!line.isArray()) {
                    continue;
                }
                List<JsonNode> row = new ArrayList<>();
                line.forEach(row::add);
                while (row.size() < COLUMNS.size()) {
                    row.add(JsonNodeFactory.instance.textNode(""));
                }
                rows.add(row.subList(0, COLUMNS.size()));
            }
        }
        return TableOutput.print(COLUMNS, rows, Set.of("TL", "LSN"), fmt, null);
    }
}
