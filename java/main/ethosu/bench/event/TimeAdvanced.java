// Virtual time moved forward (controlled platform): to the next deadline of a wait or the device.
package ethosu.bench.event;

public record TimeAdvanced(long to) implements Event {
    @Override
    public int ctx() {
        return NO_CONTEXT;
    }
}
