package io.pgha.ctl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A unified diff of two texts with three lines of context, matching lines the way Python's difflib does
 * (longest common block first, then recursively on both sides) so that edit-config shows the same hunks as
 * patronictl. Headers are "--- " and "+++ " with empty file names, as patronictl prints them.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private record Op(char tag, int i1, int i2, int j1, int j2) {}

    private record Block(int a, int b, int size) {}

    private UnifiedDiff() {}

    /** The diff lines (without line terminators); empty when the texts have the same lines. */
    public static List<String> lines(String before, String after) {
        List<String> a = split(before);
        List<String> b = split(after);
        List<String> out = new ArrayList<>();
        boolean first = true;
        for (List<Op> group : groups(opcodes(a, b))) {
            if (first) {
                out.add("--- ");
                out.add("+++ ");
                first = false;
            }
            Op f = group.get(0);
            Op l = group.get(group.size() - 1);
            out.add("@@ -" + range(f.i1, l.i2) + " +" + range(f.j1, l.j2) + " @@");
            for (Op op : group) {
                if (op.tag == 'e') {
                    a.subList(op.i1, op.i2).forEach(s -> out.add(" " + s));
                    continue;
                }
                if (op.tag == 'r' || op.tag == 'd') {
                    a.subList(op.i1, op.i2).forEach(s -> out.add("-" + s));
                }
                if (op.tag == 'r' || op.tag == 'i') {
                    b.subList(op.j1, op.j2).forEach(s -> out.add("+" + s));
                }
            }
        }
        return out;
    }

    /** patronictl strips trailing newlines and splits on '\n'. */
    private static List<String> split(String s) {
        String t = s.replaceAll("\n+$", "");
        return List.of(t.split("\n", -1));
    }

    private static String range(int start, int stop) {
        int beginning = start + 1;
        int length = stop - start;
        if (length == 1) {
            return Integer.toString(beginning);
        }
        if (length == 0) {
            beginning--;
        }
        return beginning + "," + length;
    }

    private static List<List<Op>> groups(List<Op> codes) {
        List<Op> c = new ArrayList<>(codes.isEmpty() ? List.of(new Op('e', 0, 1, 0, 1)) : codes);
        Op head = c.get(0);
        if (head.tag == 'e') {
            c.set(0, new Op('e', Math.max(head.i1, head.i2 - CONTEXT), head.i2, Math.max(head.j1, head.j2 - CONTEXT), head.j2));
        }
        Op tail = c.get(c.size() - 1);
        if (tail.tag == 'e') {
            c.set(c.size() - 1, new Op('e', tail.i1, Math.min(tail.i2, tail.i1 + CONTEXT), tail.j1, Math.min(tail.j2, tail.j1 + CONTEXT)));
        }
        List<List<Op>> groups = new ArrayList<>();
        List<Op> group = new ArrayList<>();
        for (Op op : c) {
            int i1 = op.i1;
            int j1 = op.j1;
            if (op.tag == 'e' && op.i2 - op.i1 > 2 * CONTEXT) {
                group.add(new Op('e', op.i1, Math.min(op.i2, op.i1 + CONTEXT), op.j1, Math.min(op.j2, op.j1 + CONTEXT)));
                groups.add(group);
                group = new ArrayList<>();
                i1 = Math.max(op.i1, op.i2 - CONTEXT);
                j1 = Math.max(op.j1, op.j2 - CONTEXT);
            }
            group.add(new Op(op.tag, i1, op.i2, j1, op.j2));
        }
        if (!group.isEmpty() && !(group.size() == 1 && group.get(0).tag == 'e')) {
            groups.add(group);
        }
        return groups.stream().filter(g -> g.stream().anyMatch(o -> o.tag != 'e')).toList();
    }

    private static List<Op> opcodes(List<String> a, List<String> b) {
        List<Op> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (Block m : matchingBlocks(a, b)) {
            char tag = i < m.a && j < m.b ? 'r' : i < m.a ? 'd' : j < m.b ? 'i' : 0;
            if (tag != 0) {
                ops.add(new Op(tag, i, m.a, j, m.b));
            }
            i = m.a + m.size;
            j = m.b + m.size;
            if (m.size > 0) {
                ops.add(new Op('e', m.a, i, m.b, j));
            }
        }
        return ops;
    }

    private static List<Block> matchingBlocks(List<String> a, List<String> b) {
        Map<String, List<Integer>> b2j = new HashMap<>();
        for (int j = 0; j < b.size(); j++) {
            b2j.computeIfAbsent(b.get(j), k -> new ArrayList<>()).add(j);
        }
        List<Block> found = new ArrayList<>();
        Deque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {0, a.size(), 0, b.size()});
        while (!queue.isEmpty()) {
            int[] q = queue.poll();
            Block x = longestMatch(a, b2j, q[0], q[1], q[2], q[3]);
            if (x.size > 0) {
                found.add(x);
                if (q[0] < x.a && q[2] < x.b) {
                    queue.add(new int[] {q[0], x.a, q[2], x.b});
                }
                if (x.a + x.size < q[1] && x.b + x.size < q[3]) {
                    queue.add(new int[] {x.a + x.size, q[1], x.b + x.size, q[3]});
                }
            }
        }
        found.sort(Comparator.comparingInt(Block::a).thenComparingInt(Block::b));
        List<Block> merged = new ArrayList<>();
        int i1 = 0;
        int j1 = 0;
        int k1 = 0;
        for (Block m : found) {
            if (i1 + k1 == m.a && j1 + k1 == m.b) {
                k1 += m.size;
            } else {
                if (k1 > 0) {
                    merged.add(new Block(i1, j1, k1));
                }
                i1 = m.a;
                j1 = m.b;
                k1 = m.size;
            }
        }
        if (k1 > 0) {
            merged.add(new Block(i1, j1, k1));
        }
        merged.add(new Block(a.size(), b.size(), 0));
        return merged;
    }

    /** The longest run of equal lines in a[alo,ahi) and b[blo,bhi); the earliest one on ties, like difflib. */
    private static Block longestMatch(List<String> a, Map<String, List<Integer>> b2j, int alo, int ahi, int blo, int bhi) {
        int besti = alo;
        int bestj = blo;
        int bestsize = 0;
        Map<Integer, Integer> j2len = new HashMap<>();
        for (int i = alo; i < ahi; i++) {
            Map<Integer, Integer> next = new HashMap<>();
            for (int j : b2j.getOrDefault(a.get(i), List.of())) {
                if (j < blo) {
                    continue;
                }
                if (j >= bhi) {
                    break;
                }
                int k = j2len.getOrDefault(j - 1, 0) + 1;
                next.put(j, k);
                if (k > bestsize) {
                    besti = i - k + 1;
                    bestj = j - k + 1;
                    bestsize = k;
                }
            }
            j2len = next;
        }
        return new Block(besti, bestj, bestsize);
    }
}
