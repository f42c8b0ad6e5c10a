// One thing that happened in a run, typed: what the C library reports (decoded once, in the
// bindings), what the runtime and the fake NPU add. Traces, checks, race diagrams, minimisation
// signatures and the comparison of two implementations all consume these records.
package ethosu.bench.event;

/** Every event names the context it happened in, by the caller's context id (see KernelContext). */
public sealed interface Event
        permits Point, Wait, Resumed, Printk, KernelReport, Sanitizer, JobArmed, CallStart, CallEnd, FenceSignal, Reset,
        NpuEvent, TimeAdvanced, FaultInjected, PmStatus {
    /** The context's id; {@link #NO_CONTEXT} for what happens outside any (time, the device). */
    int ctx();

    int NO_CONTEXT = -1;
}
