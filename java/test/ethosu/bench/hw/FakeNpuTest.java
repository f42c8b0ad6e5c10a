// The fake NPU driven directly on a manual clock, no threads: each test is a story of register writes
// as the driver makes them (hw_submit, the IRQ handler, runtime-resume's reset), time advanced, and expectations.
package ethosu.bench.hw;

import static ethosu.bench.hw.JobBehaviour.*;
import static ethosu.bench.hw.Regs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeNpuTest {
    static final long A = 0x1_0000_1000L, B = 0x2000, C = 0x3000;

    final DeviceClock.Manual clock = new DeviceClock.Manual();
    final RegisterFile regs = RegisterFile.createTemp();
    final AtomicInteger raised = new AtomicInteger();
    final AtomicInteger lowered = new AtomicInteger();
    final IrqLine line = new IrqLine() {
        @Override
        public void raise() {
            raised.incrementAndGet();
        }

        @Override
        public void lower() {
            lowered.incrementAndGet();
        }
    };
    FakeNpu npu = new FakeNpu(regs, NpuVariant.U65, clock, line);

    @AfterEach
    void closeRegs() {
        regs.close();
    }

    /** As ethosu_job_hw_submit: one region, the queue registers, then CMD transition-to-run. */
    void submit(long qbase, int qsize) {
        npu.mmioWrite(BASEP(0), 0x8000_0000);
        npu.mmioWrite(BASEP_HI(0), 0);
        npu.mmioWrite(QBASE, (int) qbase);
        npu.mmioWrite(QBASE_HI, (int) (qbase >>> 32));
        npu.mmioWrite(QSIZE, qsize);
        npu.mmioWrite(CMD, CMD_TRANSITION_TO_RUN);
    }

    /** Advances the clock to t and steps the device there. */
    boolean at(long t) {
        clock.set(t);
        return npu.step(t);
    }

    /** As runtime-resume: RESET = pending CSL, poll STATUS in 1 ms steps, then configure. */
    void driverReset() {
        npu.mmioWrite(RESET, RESET_PENDING_CSL);
        for (int i = 0; i < 1000 && (regs.read(STATUS) & STATUS_RESET_STATUS) != 0; i++)
            at(clock.now() + 1_000_000);
        assertEquals(0, regs.read(STATUS) & STATUS_RESET_STATUS, "reset still in progress after 1 s");
        npu.mmioWrite(REGIONCFG, 0x0000aa8a);
        if (npu.variant() == NpuVariant.U65) {
            npu.mmioWrite(AXILIMIT0, 0x1f3f00b0);
            npu.mmioWrite(AXILIMIT2, 0x1f3f0002);
        } else {
            npu.mmioWrite(AXI_SRAM, 0x00021f3f);
            npu.mmioWrite(AXI_EXT, 0x00021f3f);
            npu.mmioWrite(MEM_ATTR0, 0);
            npu.mmioWrite(MEM_ATTR2, 0xb7);
        }
    }

    @Test
    void powerOnPresentsIdAndConfigAndNothingElse() {
        assertEquals(NpuVariant.U65.resetId(), regs.read(ID));
        assertEquals(NpuVariant.U65.resetConfig(), regs.read(CONFIG));
        assertEquals(0, regs.read(STATUS));
        assertEquals(Long.MAX_VALUE, npu.nextEventTime());
        assertFalse(npu.step(1_000_000_000));
    }

    @Test
    void idFromConfigChoosesTheVariant() {
        FakeNpu u85 = new FakeNpu(regs, 0x2345_0000, 0x77, clock, line);
        assertEquals(NpuVariant.U85, u85.variant());
        assertEquals(0x2345_0000, regs.read(ID));
        assertEquals(0x77, regs.read(CONFIG));
    }

    @Test
    void completionSetsIrqAndEndBits() {
        npu.setBehaviour(A, complete(1000));
        at(100);
        submit(A, 64);
        assertEquals(STATUS_STATE_RUNNING, regs.read(STATUS));
        assertEquals(0, regs.read(QREAD));
        assertEquals(1100, npu.nextEventTime());

        assertFalse(at(1099));
        assertEquals(0, raised.get());
        assertTrue(at(1100));

        assertEquals(STATUS_IRQ_RAISED | STATUS_CMD_END_REACHED, regs.read(STATUS));
        assertEquals(64, regs.read(QREAD));
        assertEquals(1, raised.get());
        JobRecord r = npu.jobs().getFirst();
        assertEquals(new JobRecord(1, A, 64, complete(1000), 100, 1100, JobRecord.Outcome.COMPLETED), r);
        assertEquals(A, npu.lastCompletedQbase());
        assertNull(npu.runningJob());
        assertEquals(List.of(), npu.violations());
    }

    @Test
    void clearIrqLowersStatusBit() {
        submit(A, 64);
        at(DEFAULT_DURATION_NS);
        npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
        assertEquals(STATUS_CMD_END_REACHED, regs.read(STATUS));
        assertEquals(1, lowered.get());
        npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
        assertEquals(1, lowered.get(), "clearing a clear bit does not lower the line again");
        assertEquals(0, regs.read(CMD), "CMD is an action register");
    }

    @Test
    void nextJobStartsAfterCompletionAndClearsEndBit() {
        submit(A, 64);
        at(DEFAULT_DURATION_NS);
        npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
        submit(B, 32);
        assertEquals(STATUS_STATE_RUNNING, regs.read(STATUS));
        at(2 * DEFAULT_DURATION_NS);
        assertEquals(List.of(A, B), npu.completions());
        assertEquals(List.of(), npu.violations());
    }

    @Test
    void startWhileRunningIsAViolation() {
        submit(A, 64);
        npu.mmioWrite(CMD, CMD_TRANSITION_TO_RUN);
        assertEquals(1, npu.jobs().size());
        assertEquals(List.of("CMD transition-to-run while job 0x100001000 is running (ignored)"), npu.violations());
        at(DEFAULT_DURATION_NS);
        assertEquals(List.of(A), npu.completions());
    }

    @Test
    void queueRegisterWritesWhileRunningAreViolationsThatLand() {
        submit(A, 64);
        npu.mmioWrite(QBASE, (int) B);
        npu.mmioWrite(QSIZE, 128);
        npu.mmioWrite(BASEP(3), 0x1234);
        npu.mmioWrite(REGIONCFG, 0xaa8a); // configuration, not queue programming: allowed
        assertEquals(3, npu.violations().size(), npu.violations().toString());
        assertTrue(npu.violations().get(2).startsWith("BASEP(3)=0x1234 written while job 0x100001000 is running"));
        assertEquals((int) B, regs.read(QBASE));
        assertEquals(0x1234, regs.read(BASEP(3)));

        at(DEFAULT_DURATION_NS);
        assertEquals(64, regs.read(QREAD), "the running job keeps the stream it started with");
        assertEquals(A, npu.lastCompletedQbase());
    }

    @Test
    void resetAbortsRunningJobAndRestoresId() {
        submit(A, 64);
        npu.mmioWrite(REGIONCFG, 0xaa8a);
        at(500);
        npu.mmioWrite(RESET, RESET_PENDING_CSL);

        // While resetting: STATUS = reset only, everything else reads 0.
        assertEquals(STATUS_RESET_STATUS, regs.read(STATUS));
        for (int off : new int[] {ID, CONFIG, PROT, QBASE, QSIZE, QREAD, REGIONCFG, BASEP(0)})
            assertEquals(0, regs.read(off), name(off));
        JobRecord r = npu.jobs().getFirst();
        assertEquals(JobRecord.Outcome.ABORTED_BY_RESET, r.outcome());
        assertEquals(500, r.endNs());
        assertEquals(1, npu.resets());

        assertEquals(500 + FakeNpu.DEFAULT_RESET_NS, npu.nextEventTime());
        at(500 + FakeNpu.DEFAULT_RESET_NS);
        assertEquals(0, regs.read(STATUS));
        assertEquals(NpuVariant.U65.resetId(), regs.read(ID));
        assertEquals(NpuVariant.U65.resetConfig(), regs.read(CONFIG));
        assertEquals(PROT_ACTIVE_CSL, regs.read(PROT));
        assertEquals(0, regs.read(REGIONCFG));

        assertFalse(at(10 * DEFAULT_DURATION_NS), "the aborted job's completion never comes");
        assertEquals(0, raised.get());
        assertNull(npu.lastCompletedQbase());
    }

    @Test
    void resetClearsAPendingIrqAndErrorBits() {
        npu.setBehaviour(A, busError(10));
        submit(A, 64);
        at(10);
        assertEquals(STATUS_BUS_STATUS | STATUS_IRQ_RAISED, regs.read(STATUS));
        driverReset();
        assertEquals(0, regs.read(STATUS));
        assertEquals(1, lowered.get());
    }

    @Test
    void resetWithoutCslLeavesProtInactive() {
        npu.mmioWrite(RESET, RESET_PENDING_CPL);
        at(FakeNpu.DEFAULT_RESET_NS);
        assertEquals(0, regs.read(PROT));
        npu.mmioWrite(RESET, 0);
        assertEquals(1, npu.resets(), "RESET = 0 is no reset");
    }

    @Test
    void writesDuringResetAreIgnoredAndReported() {
        npu.mmioWrite(RESET, RESET_PENDING_CSL);
        regs.write(REGIONCFG, 0xaa8a); // as if the C writel stored before its upcall
        npu.mmioWrite(REGIONCFG, 0xaa8a);
        submit(A, 64);
        assertEquals(0, regs.read(REGIONCFG));
        assertEquals(0, regs.read(QBASE));
        assertEquals(STATUS_RESET_STATUS, regs.read(STATUS));
        assertTrue(npu.jobs().isEmpty());
        assertEquals(7, npu.violations().size());
        assertEquals("CMD=0x1 written during reset (ignored)", npu.violations().getLast());
    }

    @Test
    void driverResetSequenceRunsWithoutViolations() {
        for (NpuVariant v : NpuVariant.values()) {
            npu = new FakeNpu(regs, v, clock, line);
            driverReset();
            assertEquals(PROT_ACTIVE_CSL, regs.read(PROT));
            assertEquals(0x0000aa8a, regs.read(REGIONCFG));
            if (v == NpuVariant.U65)
                assertEquals(0x1f3f0002, regs.read(AXILIMIT2));
            else
                assertEquals(0xb7, regs.read(MEM_ATTR2));
            assertEquals(List.of(), npu.violations(), v.toString());
        }
    }

    @Test
    void hangNeverCompletes() {
        npu.setBehaviour(A, hang());
        submit(A, 64);
        assertEquals(Long.MAX_VALUE, npu.nextEventTime());
        assertFalse(at(10_000_000_000L));
        assertEquals(STATUS_STATE_RUNNING, regs.read(STATUS));
        assertEquals(0, regs.read(QREAD));
        assertEquals(0, raised.get());
        driverReset();
        assertEquals(JobRecord.Outcome.HUNG, npu.jobs().getFirst().outcome());
    }

    @Test
    void slowProgressAdvancesQread() {
        npu.setBehaviour(A, slowProgress(1_000_000, 10_000_000));
        submit(A, 64);
        at(999_999);
        assertEquals(0, regs.read(QREAD));
        at(1_000_000);
        assertEquals(4, regs.read(QREAD));
        at(2_000_000);
        assertEquals(8, regs.read(QREAD));
        at(5_500_000); // one coarse step covers the three steps due
        assertEquals(20, regs.read(QREAD));
        assertEquals(6_000_000, npu.nextEventTime());
        at(9_999_999);
        assertEquals(36, regs.read(QREAD));
        assertEquals(STATUS_STATE_RUNNING, regs.read(STATUS));
        at(10_000_000);
        assertEquals(64, regs.read(QREAD));
        assertEquals(STATUS_IRQ_RAISED | STATUS_CMD_END_REACHED, regs.read(STATUS));
        assertEquals(1, raised.get());
    }

    @Test
    void slowProgressKeepsChangingQreadOnAShortStream() {
        npu.setBehaviour(A, slowProgress(10, 1000));
        submit(A, 8);
        List<Integer> seen = new ArrayList<>();
        for (long t = 10; t <= 40; t += 10) {
            at(t);
            seen.add(regs.read(QREAD));
        }
        assertEquals(List.of(4, 0, 4, 0), seen);
    }

    @Test
    void busErrorSetsErrorBitAndIrq() {
        npu.setBehaviour(A, busError(300));
        submit(A, 64);
        at(300);
        assertEquals(STATUS_BUS_STATUS | STATUS_IRQ_RAISED, regs.read(STATUS));
        assertEquals(0, regs.read(QREAD));
        assertEquals(1, raised.get());
        assertEquals(JobRecord.Outcome.BUS_ERROR, npu.jobs().getFirst().outcome());
        assertNull(npu.lastCompletedQbase());
    }

    @Test
    void parseErrorSetsParseBitAndIrq() {
        npu.setBehaviour(A, parseError(0));
        submit(A, 64);
        at(0);
        assertEquals(STATUS_CMD_PARSE_ERR | STATUS_IRQ_RAISED, regs.read(STATUS));
        assertEquals(JobRecord.Outcome.PARSE_ERROR, npu.jobs().getFirst().outcome());
    }

    @Test
    void errorBitsBlockStartUntilReset() {
        npu.setBehaviour(A, busError(10));
        submit(A, 64);
        at(10);
        npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
        assertEquals(STATUS_BUS_STATUS, regs.read(STATUS), "clear-IRQ does not clear a bus error");
        submit(B, 64);
        assertEquals(1, npu.jobs().size());
        assertTrue(npu.violations().getLast().contains("error bits 0x4"), npu.violations().toString());
        driverReset();
        submit(B, 64);
        assertEquals(2, npu.jobs().size());
    }

    @Test
    void spuriousIrqRaisesLineWithoutStatusBit() {
        List<Boolean> kinds = new ArrayList<>();
        npu.addListener(new FakeNpu.Listener() {
            @Override
            public void irqRaised(long now, boolean spurious) {
                kinds.add(spurious);
            }
        });
        npu.raiseSpurious(500);
        npu.setBehaviour(A, spuriousIrq(100, complete(1000)));
        submit(A, 64);
        at(100);
        assertEquals(1, raised.get());
        assertEquals(STATUS_STATE_RUNNING, regs.read(STATUS));
        at(500);
        assertEquals(2, raised.get());
        assertEquals(STATUS_STATE_RUNNING, regs.read(STATUS));
        at(1000);
        assertEquals(3, raised.get());
        assertEquals(List.of(true, true, false), kinds);
    }

    @Test
    void corruptQreadPresentsValueBeyondTheStream() {
        npu.setBehaviour(A, corruptQread(0x10000, 100));
        submit(A, 16);
        at(100);
        assertEquals(0x10000, regs.read(QREAD));
        assertEquals(STATUS_STATE_RUNNING, npu.status());
        assertFalse(at(10_000_000_000L), "a corrupted device hangs");
        regs.write(QREAD, 0); // as if the C writel stored before its upcall
        npu.mmioWrite(QREAD, 0);
        assertEquals(0x10000, regs.read(QREAD), "a write to read-only QREAD does not undo the corruption");
        driverReset();
        assertEquals(JobRecord.Outcome.HUNG, npu.jobs().getFirst().outcome());
    }

    @Test
    void unknownQbaseCompletesAfterDefaultDuration() {
        npu.setBehaviour(A, hang());
        submit(C, 64);
        assertEquals(DEFAULT_DURATION_NS, npu.nextEventTime());
        at(DEFAULT_DURATION_NS);
        assertEquals(C, npu.lastCompletedQbase());
        npu.setDefaultBehaviour(busError(5));
        npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
        submit(B, 64);
        at(DEFAULT_DURATION_NS + 5);
        assertEquals(JobRecord.Outcome.BUS_ERROR, npu.jobs().getLast().outcome());
    }

    @Test
    void completionsListOnlyJobsTheDeviceFinished() {
        npu.setBehaviour(B, complete(5_000_000));
        submit(A, 64);
        at(DEFAULT_DURATION_NS);
        npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
        submit(B, 64);
        driverReset();
        submit(C, 64);
        at(clock.now() + DEFAULT_DURATION_NS);
        assertEquals(List.of(A, C), npu.completions());
        assertEquals(List.of(JobRecord.Outcome.COMPLETED, JobRecord.Outcome.ABORTED_BY_RESET, JobRecord.Outcome.COMPLETED),
                npu.jobs().stream().map(JobRecord::outcome).toList());
        assertEquals(List.of(1, 2, 3), npu.jobs().stream().map(JobRecord::serial).toList());
        assertEquals(2, raised.get());
    }

    @Test
    void readOnlyUnknownAndMisalignedWritesAreViolations() {
        regs.write(ID, 0xdead); // as if the C writel stored before its upcall
        npu.mmioWrite(ID, 0xdead);
        npu.mmioWrite(STATUS, 0xff);
        npu.mmioWrite(0x02c, 1);
        npu.mmioWrite(6, 1);
        npu.mmioWrite(Regs.WINDOW_SIZE, 1);
        assertEquals(NpuVariant.U65.resetId(), regs.read(ID));
        assertEquals(0, regs.read(STATUS));
        assertEquals(0, regs.read(0x02c));
        assertEquals(5, npu.violations().size());
        assertEquals("ID is read-only (write of 0xdead ignored)", npu.violations().getFirst());
        assertEquals("0x02c: no such register on U65 (write of 0x1 ignored)", npu.violations().get(2));
    }

    @Test
    void u65HasNoAxiSramButU85Does() {
        npu.mmioWrite(AXI_SRAM, 0x00021f3f);
        assertEquals(0, regs.read(AXI_SRAM));
        assertEquals("AXI_SRAM: no such register on U65 (write of 0x21f3f ignored)", npu.violations().getFirst());
        FakeNpu u85 = new FakeNpu(regs, NpuVariant.U85, clock, line);
        u85.mmioWrite(AXI_SRAM, 0x00021f3f);
        assertEquals(0x00021f3f, regs.read(AXI_SRAM));
        assertEquals(List.of(), u85.violations());
    }

    @Test
    void qbaseHiMakesASixtyFourBitJobId() {
        submit(A, 64);
        assertEquals(A, npu.runningJob().qbase());
    }

    @Test
    void wakeupsFireOnlyWhenTheNextEventMovesEarlier() {
        AtomicInteger wakes = new AtomicInteger();
        npu.addWakeup(wakes::incrementAndGet);
        npu.setBehaviour(A, complete(1000));
        submit(A, 64);
        assertEquals(1, wakes.get());
        npu.raiseSpurious(5000);
        assertEquals(1, wakes.get(), "a later event does not cut a sleep short");
        npu.raiseSpurious(10);
        assertEquals(2, wakes.get());
    }

    @Test
    void irqLineIsRaisedOutsideTheLock() throws Exception {
        // A hard-IRQ handler on another thread, waited for by raise(): deadlocks if the lock were held.
        IrqLine handoff = () -> {
            Thread hardirq = new Thread(() -> {
                if ((npu.read(STATUS) & STATUS_IRQ_RAISED) != 0)
                    npu.mmioWrite(CMD, CMD_CLEAR_IRQ);
            }, "hardirq");
            hardirq.start();
            try {
                assertTrue(hardirq.join(java.time.Duration.ofSeconds(5)), "hard-IRQ context blocked on the model");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        npu = new FakeNpu(regs, NpuVariant.U65, clock, handoff);
        submit(A, 64);
        at(DEFAULT_DURATION_NS);
        assertEquals(STATUS_CMD_END_REACHED, regs.read(STATUS));
    }

    @Test
    void concurrentStartsRunExactlyOneJob() throws Exception {
        int n = 8;
        npu.mmioWrite(QBASE, (int) B);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                npu.mmioWrite(CMD, CMD_TRANSITION_TO_RUN);
            }, "client-" + i);
            t.start();
            ts.add(t);
        }
        go.countDown();
        for (Thread t : ts)
            t.join(TimeUnit.SECONDS.toMillis(5));
        assertEquals(1, npu.jobs().size());
        assertEquals(n - 1, npu.violations().size());
    }

    @Test
    void listenersSeeJobsResetsAndViolations() {
        List<String> seen = new ArrayList<>();
        npu.addListener(new FakeNpu.Listener() {
            @Override
            public void violation(long now, String what) {
                seen.add("violation@" + now);
            }

            @Override
            public void jobStarted(JobRecord job) {
                seen.add("start#" + job.serial());
            }

            @Override
            public void jobEnded(JobRecord job) {
                seen.add("end#" + job.serial() + " " + job.outcome());
            }

            @Override
            public void resetStarted(long now) {
                seen.add("reset@" + now);
            }

            @Override
            public void resetDone(long now) {
                seen.add("reset-done@" + now);
            }
        });
        submit(A, 64);
        at(7);
        npu.mmioWrite(CMD, CMD_TRANSITION_TO_RUN);
        npu.mmioWrite(RESET, RESET_PENDING_CSL);
        at(7 + FakeNpu.DEFAULT_RESET_NS);
        assertEquals(List.of("start#1", "violation@7", "end#1 ABORTED_BY_RESET", "reset@7",
                "reset-done@" + (7 + FakeNpu.DEFAULT_RESET_NS)), seen);
    }
}
