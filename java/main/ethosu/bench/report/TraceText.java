// The typed trace as text, one line per event ("irq/ethosu: READ_ONCE(dev->in_flight_job)"): what
// `replay --trace` prints and what replays compare. Objects are named by role, never by address, so
// two runs of one schedule give the same lines.
package ethosu.bench.report;

import ethosu.bench.check.Errno;
import ethosu.bench.event.CallEnd;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Event;
import ethosu.bench.event.FenceSignal;
import ethosu.bench.event.JobArmed;
import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Sanitizer;
import ethosu.bench.event.Names;
import ethosu.bench.event.NpuEvent;
import ethosu.bench.event.Point;
import ethosu.bench.event.Printk;
import ethosu.bench.event.Reset;
import ethosu.bench.event.Resumed;
import ethosu.bench.event.TimeAdvanced;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;

import java.util.ArrayList;
import java.util.List;

public final class TraceText {
    private TraceText() {}

    public static List<String> lines(Trace trace, Names names) {
        List<String> out = new ArrayList<>();
        for (Trace.Entry e : trace.entries()) out.add(line(e.event(), names));
        return out;
    }

    /** "context: what happened". */
    public static String line(Event e, Names names) {
        String who = e.ctx() == Event.NO_CONTEXT ? (e instanceof NpuEvent ? "npu" : "time") : names.context(e.ctx());
        return who + ": " + what(e, names);
    }

    /** What happened, without the context: "> run_job(jobA)", "signalled: jobA.hw_fence". */
    public static String what(Event e, Names names) {
        return switch (e) {
            case Point p -> p.render(names);
            case Wait w -> "wait: " + w.render();
            case Resumed r -> r.render();
            case Printk p -> "printk: " + p.text();
            case KernelReport r -> "!! " + r.text();
            // the kind only: the addresses (object, pc, bp, sp) differ from run to run, and a replay's
            // trace must be the same each time
            case Sanitizer z -> "!! " + z.report().lines().filter(l -> l.contains("ERROR: ")).findFirst()
                    .map(l -> l.substring(l.indexOf("ERROR: ") + 7).replaceFirst(" on (unknown )?address .*$", ""))
                    .orElse("a sanitizer report");
            case JobArmed j -> "armed " + names.job(j.job());
            case CallStart c -> "> " + c.render(names);
            case CallEnd c -> "< " + (c.call().backendOp() ? c.call().title + "(" + names.job(c.job()) + ")"
                    : c.name() != null ? c.name() : c.call().title) + " = " + c.result();
            case FenceSignal f -> (f.again() ? "signalled again: " : "signalled: ")
                    + (f.job() != 0 ? names.job(f.job()) + "." : "") + f.role().title
                    + (f.error() != 0 ? " (" + Errno.name(f.error()) + ")" : "");
            case Reset r -> r.error() == 0 ? "reset done" : "reset failed (" + Errno.name(r.error()) + ")";
            case NpuEvent n -> switch (n.kind()) {
                case STARTED -> "started " + names.job(n.job().qbase());
                case ENDED -> n.job().outcome().name().toLowerCase(java.util.Locale.ROOT) + " " + names.job(n.job().qbase());
                case IRQ_RAISED -> "IRQ raised";
                case SPURIOUS_IRQ -> "spurious IRQ";
                case VIOLATION -> "!! " + n.text();
            };
            case TimeAdvanced t -> "advance to " + t.to() + " ns";
            case ethosu.bench.event.FaultInjected f -> "forced failure: "
                    + ethosu.bench.scenario.FaultSpec.Fault.name(f.fault()) + " in " + f.site();
            case ethosu.bench.event.PmStatus p -> "runtime PM: " + p.statusName();
        };
    }
}
