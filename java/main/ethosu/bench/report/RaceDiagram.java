// Draws a finding's race the way kernel commit messages do: one column per context, time going
// down, only the scheduling points that matter (driver locks, READ_ONCE/WRITE_ONCE, fence signals,
// MMIO on the command registers, work items, IRQs, device steps, time), ending at the finding.
package ethosu.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class RaceDiagram {
    private static final int WIDTH = 34;
    private static final int MAX_ROWS = 32;
    private static final String[] NOISE = {
        "spin_lock(", "spin_unlock(", "ktime_get", "jiffies", "usleep_range", "queue_work(", "wait: worker",
        "wait: irq thread", "wait: IRQ line", "woken from: worker", "woken from: irq thread", "woken from: IRQ line",
        "timed out: worker", "start", "exit", "wait: probe", "woken from: probe", "printk: ", "readl_relaxed(PROT)",
        "writel_relaxed(REGION", "writel_relaxed(AXI", "writel_relaxed(MEM_ATTR", "mutex_lock(pm_lock)",
        "mutex_unlock(pm_lock)", "writel_relaxed(BASEP", "writel_relaxed(QBASE_HI", "writel_relaxed(QSIZE",
        "dma_fence_add_callback(", "dma_fence_remove_callback(", "timed out: usleep", "wait: usleep",
        "cancel_delayed_work(", "mod_delayed_work(",
    };

    private RaceDiagram() {}

    static boolean matters(String label) {
        for (String n : NOISE) if (label.startsWith(n)) return false;
        return true;
    }

    /**
     * @param trace  "context: label" lines of one run, findings marked with "!! "
     * @param names  job ids (as the labels print them, e.g. job0x80000000) to scenario names
     */
    public static String draw(List<String> trace, Map<String, String> names) {
        return draw(trace, names, null);
    }

    /** As above, ending at the first mark of the finding whose text is given (null: the first finding). */
    public static String draw(List<String> trace, Map<String, String> names, String finding) {
        int end = -1;
        for (int i = 0; i < trace.size() && end < 0; i++)
            if (trace.get(i).contains(": !! ") && (finding == null || trace.get(i).contains(finding))) end = i;
        for (int i = 0; i < trace.size() && end < 0; i++) if (trace.get(i).contains(": !! ")) end = i;
        if (end < 0) end = trace.size() - 1;
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i <= end; i++) {
            String line = trace.get(i);
            int c = line.indexOf(": ");
            if (c < 0) continue;
            String ctx = line.substring(0, c), label = rename(line.substring(c + 2), names);
            if (ctx.equals("main") && !label.startsWith("!! ")) continue;
            if (label.startsWith("!! ") && i != end) continue; // other findings of the run: not this race
            if (!matters(label)) continue;
            rows.add(new String[] {ctx, label});
        }
        if (rows.size() > MAX_ROWS) rows = rows.subList(rows.size() - MAX_ROWS, rows.size());
        Map<String, Integer> cols = new LinkedHashMap<>();
        for (String order : new String[] {"client", "submit_wq", "irq/ethosu", "hardirq", "timeout_wq", "system_wq", "npu", "time", "main"})
            for (String[] r : rows) if (r[0].startsWith(order) && !cols.containsKey(r[0])) cols.put(r[0], cols.size());
        StringBuilder sb = new StringBuilder();
        StringBuilder head = new StringBuilder(), rule = new StringBuilder();
        for (String c : cols.keySet()) {
            head.append(pad(c));
            rule.append(pad("-".repeat(c.length())));
        }
        sb.append("    ").append(head.toString().stripTrailing()).append('\n');
        sb.append("    ").append(rule.toString().stripTrailing()).append('\n');
        for (String[] r : rows) {
            int col = cols.get(r[0]);
            String label = r[1];
            boolean bug = label.startsWith("!! ");
            if (bug) label = "<-- " + label.substring(3);
            StringBuilder line = new StringBuilder("    ");
            line.append(" ".repeat(col * WIDTH));
            line.append(bug ? label : clip(label));
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    static String rename(String label, Map<String, String> names) {
        for (var e : names.entrySet()) label = label.replace(e.getKey(), e.getValue());
        // the scheduler's work items are known by their role: run_job_work, free_job_work, job_timedout
        return label.replace("drm_sched_", "");
    }

    private static String pad(String s) {
        return s.length() >= WIDTH ? s.substring(0, WIDTH - 1) + " " : s + " ".repeat(WIDTH - s.length());
    }

    private static String clip(String s) {
        return s.length() > WIDTH - 2 ? s.substring(0, WIDTH - 3) + "…" : s;
    }
}
