// The NPU's interrupt line as the device model drives it; the wiring (a hardirq context, a test latch) is the caller's.
package ethosu.bench.hw;

/**
 * Called outside the model's lock, after the registers that explain the interrupt are visible.
 * Implementations must not block for long: raise() runs on the device context (step()).
 */
@FunctionalInterface
public interface IrqLine {
    /** The device raises the line: a completion, an error, or a spurious pulse. Called once per event. */
    void raise();

    /** The line drops because STATUS irq-raised was cleared (CMD clear-IRQ or a reset). Optional to observe. */
    default void lower() {}
}
