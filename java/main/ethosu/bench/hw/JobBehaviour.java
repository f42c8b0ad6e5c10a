// What the fake device does with one command stream, chosen per job (by QBASE) by the scenario.
// Times are relative to the job's start (the CMD transition-to-running write), in device ns.
package ethosu.bench.hw;

/**
 * A job's fate on the device. Basic fates ({@link Complete}, {@link Hang}, {@link SlowProgress},
 * {@link BusError}, {@link ParseError}) say how the job ends; device actions ({@link SpuriousIrq},
 * {@link CorruptRegister}) add one event during the job and otherwise behave as {@code then}.
 */
public sealed interface JobBehaviour {

    /** Used for a QBASE the scenario named no behaviour for. */
    long DEFAULT_DURATION_NS = 1_000_000;

    JobBehaviour DEFAULT = complete(DEFAULT_DURATION_NS);

    /** Completes after afterNs: running cleared, end-reached and irq raised, QREAD = QSIZE, line raised. */
    record Complete(long afterNs) implements JobBehaviour {
        public Complete {
            nonNegative("afterNs", afterNs);
        }
    }

    /** Never completes; QREAD stays where it is. Only a reset ends the job. */
    record Hang() implements JobBehaviour {}

    /**
     * QREAD moves on one 32-bit word every stepNs (wrapping within the stream, so it keeps changing
     * however short the stream is), and the job completes at totalNs.
     */
    record SlowProgress(long stepNs, long totalNs) implements JobBehaviour {
        public SlowProgress {
            if (stepNs <= 0)
                throw new IllegalArgumentException("stepNs must be > 0, got " + stepNs);
            nonNegative("totalNs", totalNs);
        }
    }

    /** After afterNs: STATUS bus error and irq raised, running cleared, line raised. Only reset clears the error. */
    record BusError(long afterNs) implements JobBehaviour {
        public BusError {
            nonNegative("afterNs", afterNs);
        }
    }

    /** After afterNs: STATUS command parse error and irq raised, running cleared, line raised. */
    record ParseError(long afterNs) implements JobBehaviour {
        public ParseError {
            nonNegative("afterNs", afterNs);
        }
    }

    /** At atNs the line is raised without STATUS irq-raised (the handler should say IRQ_NONE); otherwise as then. */
    record SpuriousIrq(long atNs, JobBehaviour then) implements JobBehaviour {
        public SpuriousIrq {
            nonNegative("atNs", atNs);
            java.util.Objects.requireNonNull(then, "then");
        }
    }

    /**
     * At atNs the register at offset reads value (the file is written, the model's state is not),
     * until the model next stores that register; otherwise as then.
     */
    record CorruptRegister(int offset, int value, long atNs, JobBehaviour then) implements JobBehaviour {
        public CorruptRegister {
            if (!Regs.inWindow(offset))
                throw new IllegalArgumentException(String.format("offset 0x%x is not a register offset", offset));
            nonNegative("atNs", atNs);
            java.util.Objects.requireNonNull(then, "then");
        }
    }

    static JobBehaviour complete(long afterNs) {
        return new Complete(afterNs);
    }

    static JobBehaviour hang() {
        return new Hang();
    }

    static JobBehaviour slowProgress(long stepNs, long totalNs) {
        return new SlowProgress(stepNs, totalNs);
    }

    static JobBehaviour busError(long afterNs) {
        return new BusError(afterNs);
    }

    static JobBehaviour parseError(long afterNs) {
        return new ParseError(afterNs);
    }

    static JobBehaviour spuriousIrq(long atNs, JobBehaviour then) {
        return new SpuriousIrq(atNs, then);
    }

    static JobBehaviour corruptRegister(int offset, int value, long atNs, JobBehaviour then) {
        return new CorruptRegister(offset, value, atNs, then);
    }

    /**
     * The device hangs with QREAD reading value from atNs on, e.g. an offset beyond the stream,
     * which the driver's timeout handler then uses to index the command BO.
     */
    static JobBehaviour corruptQread(int value, long atNs) {
        return new CorruptRegister(Regs.QREAD, value, atNs, hang());
    }

    /** Whether the job never ends by itself (a reset is what ends it). */
    default boolean hangs() {
        return switch (this) {
            case Hang _ -> true;
            case SpuriousIrq s -> s.then().hangs();
            case CorruptRegister c -> c.then().hangs();
            case Complete _, SlowProgress _, BusError _, ParseError _ -> false;
        };
    }

    private static void nonNegative(String what, long v) {
        if (v < 0)
            throw new IllegalArgumentException(what + " must be >= 0, got " + v);
    }
}
