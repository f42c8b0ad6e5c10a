// A scheduling point: a context is about to do what its label says to the object it names.
package ethosu.bench.event;

/**
 * @param obj the object touched: a lock, fence, field, work item (its address, meaningful within one
 *            run), or for MMIO the register's offset; two points on different objects commute
 * @param arg what the label's placeholder shows (the job of a fence, the value a writel stores)
 */
public record Point(int ctx, Label label, long obj, long arg) implements Event {
    public PointKind kind() {
        return label.pointKind();
    }

    public String render(Names names) {
        return label.render(obj, arg, names);
    }
}
