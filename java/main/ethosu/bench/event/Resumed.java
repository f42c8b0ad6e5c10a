// A blocked context can run again: woken, its deadline passed, or (main) nothing else can happen.
package ethosu.bench.event;

public record Resumed(int ctx, How how, Wait from) implements Event {
    public enum How { WOKEN, TIMED_OUT, QUIESCENT }

    public String render() {
        return switch (how) {
            case WOKEN -> "woken from: " + from.render();
            case TIMED_OUT -> "timed out: " + from.render();
            case QUIESCENT -> "quiescent";
        };
    }
}
