// A context blocks: on a channel (a lock word, a wait queue, a fence callback) until woken, or until
// virtual time reaches its deadline. Its kind says what it waits for; idle kinds are no deadlock.
package ethosu.bench.event;

/** @param deadline virtual time that ends the wait; Long.MAX_VALUE: none */
public record Wait(int ctx, WaitKind kind, Label label, long chan, long deadline) implements Event {
    public String render() {
        return label.text();
    }
}
