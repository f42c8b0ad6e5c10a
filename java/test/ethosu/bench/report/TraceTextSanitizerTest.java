// A sanitizer report's trace line names its kind without the run's addresses, so that replays of
// one schedule on a sanitizer build give the same trace each time.
package ethosu.bench.report;

import ethosu.bench.event.Sanitizer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TraceTextSanitizerTest {
    private static String line(String address) {
        return TraceText.what(new Sanitizer(3, 0, "=================================================================\n"
                + "==41==ERROR: AddressSanitizer: heap-buffer-overflow on address " + address
                + " at pc 0x7feeca060cb2 bp 0x7feec4875280 sp 0x7feec4875278\nREAD of size 4 at " + address + "\n"), null);
    }

    @Test
    void aSanitizerLineIsTheSameWhereverTheObjectLies() {
        assertEquals("!! AddressSanitizer: heap-buffer-overflow", line("0x60300016da84"));
        assertEquals(line("0x60300016da84"), line("0x60300016db44"));
    }
}
