// The scenario vocabulary for jobs: factories, argument checks, and which fates need a reset to end.
package ethosu.bench.hw;

import static ethosu.bench.hw.JobBehaviour.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class JobBehaviourTest {
    @Test
    void onlyHangingFatesNeedAReset() {
        assertTrue(hang().hangs());
        assertTrue(corruptQread(0x1000, 5).hangs());
        assertTrue(spuriousIrq(1, hang()).hangs());
        assertFalse(complete(1).hangs());
        assertFalse(slowProgress(1, 10).hangs());
        assertFalse(busError(1).hangs());
        assertFalse(parseError(1).hangs());
        assertFalse(spuriousIrq(1, complete(2)).hangs());
    }

    @Test
    void nonsenseArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> complete(-1));
        assertThrows(IllegalArgumentException.class, () -> slowProgress(0, 10));
        assertThrows(IllegalArgumentException.class, () -> corruptRegister(3, 0, 0, hang()));
        assertThrows(NullPointerException.class, () -> spuriousIrq(0, null));
    }

    /** docs/SCENARIOS.md: "complete [d]: completes within d (default 1ms)"; an unknown QBASE does the same. */
    @Test
    void completeWithoutADurationIsTheDocumentedMillisecond() {
        var parsed = ethosu.bench.scenario.ScenarioParser.parse("t.txt", "scenario s\nclient\nsubmit A complete\n")
                .get(0).clients().get(0).jobs().get(0).behaviour();
        assertEquals(complete(1_000_000), parsed);
        assertEquals(complete(1_000_000), DEFAULT);
    }
}
