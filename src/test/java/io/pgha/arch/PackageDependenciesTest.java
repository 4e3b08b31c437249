package io.pgha.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout's two rules (issue 11): the HA decision package {@code io.pgha.agent.ha} is pure (it imports no
 * I/O: only the JDK's data types, the DCS contract and Jackson's tree model), and no package depends on one
 * that depends back on it. Read from the sources' imports and fully qualified names.
 */
class PackageDependenciesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.pgha(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    /** package -> packages (of io.pgha) it uses; package -> every import it has. */
    private static final Map<String, Set<String>> USES = new TreeMap<>();
    private static final Map<String, Set<String>> IMPORTS = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher pm = PACKAGE.matcher(src);
                assertThat(pm.find()).as(f.toString()).isTrue();
                String pkg = pm.group(1);
                Set<String> uses = USES.computeIfAbsent(pkg, k -> new TreeSet<>());
                Set<String> imports = IMPORTS.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher im = IMPORT.matcher(src);
                while (im.find()) {
                    imports.add(im.group(1));
                }
                Matcher qm = QUALIFIED.matcher(src.substring(pm.end()));
                while (qm.find()) {
                    if (!qm.group(1).equals(pkg)) {
                        uses.add(qm.group(1));
                    }
                }
            }
        }
    }

    @Test
    void theDecisionPackageImportsNoIo() {
        List<String> allowed = List.of("java.util.", "java.time.", "java.util.function.", "io.pgha.contract.",
                "io.pgha.agent.ha.", "com.fasterxml.jackson.databind.JsonNode", "com.fasterxml.jackson.databind.node.");
        Set<String> bad = new TreeSet<>();
        for (String i : IMPORTS.get("io.pgha.agent.ha")) {
            if (allowed.stream().noneMatch(i::startsWith) || i.startsWith("java.util.concurrent")) {
                bad.add(i);
            }
        }
        Set<String> usedPackages = new TreeSet<>(USES.get("io.pgha.agent.ha"));
        usedPackages.removeIf(p -> p.equals("io.pgha.contract"));
        assertThat(bad).as("imports of io.pgha.agent.ha that are not plain data").isEmpty();
        assertThat(usedPackages).as("io.pgha packages io.pgha.agent.ha uses besides the contract").isEmpty();
    }

    @Test
    void noPackageDependsOnOneThatDependsBackOnIt() {
        List<List<String>> cycles = stronglyConnected(USES).stream().filter(c -> c.size() > 1).toList();
        assertThat(cycles).as("package cycles").isEmpty();
    }

    /** Tarjan's algorithm, iterative over a small graph. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                              Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                visit(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
