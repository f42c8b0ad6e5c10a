// A plain-text table for summaries: columns sized to their widest cell, numbers right-aligned.
package ethosu.bench.report;

import java.util.ArrayList;
import java.util.List;

public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) r.add(String.valueOf(c));
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int n = header.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = header.get(i).length();
        for (List<String> r : rows)
            for (int i = 0; i < n && i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w, false);
        for (int i = 0; i < n; i++) {
            sb.append("-".repeat(w[i]));
            sb.append(i + 1 < n ? "  " : "\n");
        }
        for (List<String> r : rows) line(sb, r, w, true);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w, boolean alignNumbers) {
        for (int i = 0; i < w.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            boolean num = alignNumbers && !c.isEmpty() && c.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.' || ch == ',');
            String pad = " ".repeat(w[i] - c.length());
            sb.append(num ? pad + c : c + (i + 1 < w.length ? pad : ""));
            if (i + 1 < w.length) sb.append("  ");
        }
        sb.append('\n');
    }
}
