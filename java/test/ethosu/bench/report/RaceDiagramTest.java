// The race diagram is drawn from typed events: which rows it keeps is a matter of event and point
// kinds (never of label text), columns follow the commit-message order, and it ends at the finding.
package ethosu.bench.report;

import ethosu.bench.check.Finding;
import ethosu.bench.event.Call;
import ethosu.bench.event.CallStart;
import ethosu.bench.event.Label;
import ethosu.bench.event.Names;
import ethosu.bench.event.Point;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.Trace;
import ethosu.bench.event.Wait;
import ethosu.bench.event.WaitKind;
import ethosu.bench.hw.Regs;
import ethosu.bench.kernel.KernelContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RaceDiagramTest {
    static final int IRQ = KernelContext.IRQ_THREAD.id, TIMEOUT = KernelContext.TIMEOUT_WQ.id,
            SUBMIT = KernelContext.SUBMIT_WQ.id;
    static final Names NAMES = new Names() {
        @Override
        public String jobName(long id) {
            return "A";
        }

        @Override
        public String context(int id) {
            return KernelContext.values()[id].title;
        }
    };

    static Label label(PointKind k, String text) {
        return new Label(1, k.value, text);
    }

    @Test
    void rowsAreChosenByKindAndTheDiagramEndsAtTheFinding() {
        Trace t = new Trace(100);
        t.add(0, 0, new Point(SUBMIT, label(PointKind.SPIN_LOCK, "spin_lock(rq_lock)"), 0x10, 0));
        t.add(1, 0, new Point(IRQ, label(PointKind.READ_ONCE, "READ_ONCE(dev->in_flight_job)"), 0x20, 0));
        t.add(2, 0, new Point(IRQ, label(PointKind.READL, "readl_relaxed(%o)"), Regs.PROT, 0));
        t.add(3, 0, new Wait(SUBMIT, WaitKind.IDLE_WORKER, Label.named("worker: idle"), 0x30, Long.MAX_VALUE));
        t.add(4, 0, new CallStart(TIMEOUT, Call.TIMEDOUT_JOB, null, 0x8000_0000L, 0));
        t.add(5, 0, new Point(TIMEOUT, label(PointKind.WRITEL, "writel(%o, %v)"), Regs.CMD, 1));
        t.add(6, 0, new Point(IRQ, label(PointKind.FENCE_SIGNAL, "dma_fence_signal(%j.hw_fence)"), 0x40, 0x8000_0000L));
        t.add(7, 0, new Point(IRQ, label(PointKind.WRITE_ONCE, "WRITE_ONCE(dev->in_flight_job)"), 0x20, 0));
        Finding f = new Finding(Finding.Check.USE_AFTER_FREE, "UAF", "dma_fence_signal(done_fence)", List.of(),
                "BUG: KASAN: slab-use-after-free", "irq/ethosu", 7);
        String d = RaceDiagram.draw(t, NAMES, f);
        List<String> lines = d.lines().toList();
        assertTrue(lines.get(0).strip().startsWith("irq/ethosu") && lines.get(0).contains("timeout_wq"), d);
        assertEquals(List.of("READ_ONCE(dev->in_flight_job)", "timedout_job(jobA)", "writel(CMD, 0x1)",
                "dma_fence_signal(jobA.hw_fence)", "<-- BUG: KASAN: slab-use-after-free"),
                lines.subList(2, lines.size()).stream().map(String::strip).toList(), d);
        assertFalse(d.contains("spin_lock") || d.contains("PROT") || d.contains("idle"), "bookkeeping stays out:\n" + d);
        assertFalse(d.contains("WRITE_ONCE"), "nothing after the finding:\n" + d);
        assertTrue(lines.getLast().startsWith("    <--"), "the finding in its context's column:\n" + d);
    }
}
