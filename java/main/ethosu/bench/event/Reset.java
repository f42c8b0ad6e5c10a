// The NPU's reset (runtime resume) finished, with error 0 or what failed.
package ethosu.bench.event;

public record Reset(int ctx, int error) implements Event {}
