// One kernel log line ("ethosu: NPU sched timed out ..."), at its log level (3 err ... 7 debug).
package ethosu.bench.event;

public record Printk(int ctx, int level, String text) implements Event {}
