// A worker whose parent closed the pipe exits quietly (no stack trace in the parent's stderr);
// any other failure of the protocol still ends it with its trace, as a bench bug.
package ethosu.bench.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.*;

class WorkerParentGoneTest {
    @Test
    void onlyAClosedPipeCountsAsTheParentGone() {
        assertTrue(Worker.parentGone(new IOException("Broken pipe")));
        assertTrue(Worker.parentGone(new UncheckedIOException(new IOException("Stream closed"))),
                "a progress message failing inside an exploration");
        assertFalse(Worker.parentGone(new IOException("not a task: x")));
        assertFalse(Worker.parentGone(new IllegalStateException("Broken pipe")), "only an I/O failure");
    }
}
