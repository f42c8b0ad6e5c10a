// One run's typed trace as text in the shape of the kernel's ftrace output (trace_pipe): one line
// per event, context and its id, the decision step in the CPU column's place, kernel time in
// seconds, the event's name and what it did. What `replay --trace` prints and `--ftrace FILE` writes.
package ethosu.bench.report;

import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.JobArmed;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Names;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.event.Point;
import ethosu.bench.event.Printk;
import ethosu.bench.event.Reset;
import ethosu.bench.event.Resumed;
import ethosu.bench.event.TimeAdvanced;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public final class FtraceText {
    private FtraceText() {}

    /** The whole dump: a header naming what ran, then one line per event. */
    public static String dump(Trace trace, Names names, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("# tracer: ethosu-bench\n# ").append(title).append('\n');
        if (trace.dropped() > 0) sb.append("# entries-dropped: ").append(trace.dropped()).append('\n');
        sb.append("#\n#          CONTEXT-ID   STEP    TIMESTAMP  EVENT\n#             | |        |          |       |\n");
        for (Trace.Entry e : trace.entries()) sb.append(line(e, names)).append('\n');
        return sb.toString();
    }

    /** "       submit_wq-1     [0054]     0.500000: call_entry: run_job(jobA)". */
    public static String line(Trace.Entry en, Names names) {
        Event e = en.event();
        String who = e.ctx() == Event.NO_CONTEXT ? (e instanceof NpuEvent ? "npu" : "time") : names.context(e.ctx());
        int id = e.ctx() == Event.NO_CONTEXT ? (e instanceof NpuEvent ? 6 : 7) : e.ctx();
        return String.format("%18s-%-4d [%04d] %12.6f: %s: %s", who, id, en.step(), en.time() / 1e9, name(e),
                details(e, names));
    }

    /** What the event did, without the words its name already says. */
    static String details(Event e, Names names) {
        return switch (e) {
            case Wait w -> w.render() + (w.deadline() != Long.MAX_VALUE ? " until " + w.deadline() + " ns" : "");
            case Resumed r -> r.render();
            case Printk p -> p.text();
            case KernelReport r -> r.text();
            case FenceSignal f -> (f.job() != 0 ? names.job(f.job()) + "." : "") + f.role().title
                    + (f.error() != 0 ? " error=" + ethosu.bench.check.Errno.name(f.error()) : "") + (f.again() ? " (again)" : "");
            case TimeAdvanced t -> "to " + t.to() + " ns";
            default -> TraceText.what(e, names).replaceFirst("^[<>] ", "").replaceFirst("^!! ", "");
        };
    }

    /** The event's name, as ftrace names its tracepoints. */
    static String name(Event e) {
        return switch (e) {
            case Point p -> p.kind() == null ? "point" : p.kind().mmio() ? "mmio" : p.kind().lock() ? "lock" : "point";
            case Wait w -> "wait";
            case Resumed r -> "resume";
            case Printk p -> "printk";
            case KernelReport r -> "report";
            case ethosu.bench.event.Sanitizer z -> "sanitizer";
            case JobArmed j -> "job_arm";
            case CallStart c -> "call_entry";
            case CallEnd c -> "call_exit";
            case FenceSignal f -> "fence_signal";
            case Reset r -> "reset";
            case NpuEvent n -> "npu";
            case TimeAdvanced t -> "time";
            case ethosu.bench.event.FaultInjected f -> "fault_inject";
            case ethosu.bench.event.PmStatus p -> "rpm_status";
        };
    }

    public static void write(Path file, Trace trace, Names names, String title) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.writeString(file, dump(trace, names, title));
    }
}
