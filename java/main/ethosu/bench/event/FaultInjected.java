// A call at a kernel interface that the run's fault plan made fail (enum ebench_fault), and where.
package ethosu.bench.event;

/** @param site the function that made the call (an allocation's caller, or the interface itself) */
public record FaultInjected(int ctx, int fault, String site) implements Event {}
