// An interned label of a variant library: a scheduling point's, a wait's or a name's text, fetched
// once per library (ebench_label_text) and shared by every event that carries its id.
package ethosu.bench.event;

import ethosu.bench.bindings.gen.ethosu_bench_h;

/**
 * @param id   the library's id for it (1, 2, ...); the Java model interns its own
 * @param kind enum ebench_point_kind, ebench_wait_kind or EBENCH_LABEL_NAME
 * @param text the text; a point label may hold placeholders: %o the object (a register, for MMIO),
 *             %j the job its argument names, %v the argument in hex, %d in decimal
 */
public record Label(int id, int kind, String text) {
    static final int NAME = ethosu_bench_h.EBENCH_LABEL_NAME();

    /** A name made on the Java side (a harness wait, the model's sites): no library id. */
    public static Label named(String text) {
        return new Label(0, NAME, text);
    }

    /** What a point with this label does; null if this is not a point label. */
    public PointKind pointKind() {
        return PointKind.of(kind);
    }

    /** What a wait with this label waits for; null if this is not a wait label. */
    public WaitKind waitKind() {
        return WaitKind.of(kind);
    }

    public boolean isName() {
        return kind == NAME;
    }

    /** The text with its placeholders filled in: "dma_fence_signal(jobA.finished)", "writel(CMD, 0x1)". */
    public String render(long obj, long arg, Names names) {
        int p = text.indexOf('%');
        if (p < 0) return text;
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int from = 0;
        for (; p >= 0 && p + 1 < text.length(); p = text.indexOf('%', from)) {
            sb.append(text, from, p);
            switch (text.charAt(p + 1)) {
                case 'o' -> sb.append(pointKind() != null && pointKind().mmio() ? names.register((int) obj) : names.object(obj));
                case 'j' -> sb.append(names.job(arg));
                case 'v' -> sb.append("0x").append(Long.toHexString(arg));
                case 'd' -> sb.append(arg);
                default -> sb.append(text, p, p + 2);
            }
            from = p + 2;
        }
        return sb.append(text, from, text.length()).toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
