// The register map is defined once, by the driver's header: Regs must say what
// native/driver/ethosu_device.h says (every offset, bit and count, both ways), and name registers
// as traces print them.
package ethosu.bench.hw;

import static ethosu.bench.hw.Regs.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class RegsTest {
    static final Path HEADER = Path.of("native/driver/ethosu_device.h");
    /** A define and its value, with a trailing comment in either style (mainline's header uses both). */
    private static final Pattern DEFINE = Pattern.compile("^#define\\s+(\\w+)\\s+(.+?)\\s*(/\\*.*|//.*)?$");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+|\\d+");
    private static final Pattern BIT = Pattern.compile("BIT\\((\\d+)\\)");
    private static final Pattern GENMASK = Pattern.compile("GENMASK\\((\\d+),\\s*(\\d+)\\)");
    /** Regs' constants that the header has as function-like macros or not at all, by design. */
    private static final Set<String> JAVA_ONLY = Set.of("WINDOW_SIZE", "BASEP_END", "ID_ARCH_MAJOR_SHIFT");

    /** The header's object-like defines with a value (offsets, BIT(n), GENMASK(h, l), counts), by Java name. */
    static Map<String, Long> headerDefines() throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(HEADER)) {
            Matcher d = DEFINE.matcher(line.strip());
            if (!d.matches() || d.group(1).contains("(")) continue;
            String name = d.group(1).replaceFirst("^NPU_REG_", "").replaceFirst("^NPU_", "")
                    .replaceFirst("^ETHOSU_", "");
            String v = d.group(2);
            Matcher b = BIT.matcher(v), g = GENMASK.matcher(v), n = HEX.matcher(v);
            if (b.matches()) m.put(name, 1L << Integer.parseInt(b.group(1)));
            else if (g.matches()) {
                int hi = Integer.parseInt(g.group(1)), lo = Integer.parseInt(g.group(2));
                m.put(name, ((1L << (hi - lo + 1)) - 1) << lo);
            } else if (n.matches()) m.put(name, Long.decode(v));
        }
        return m;
    }

    static Map<String, Long> javaConstants() throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Field f : Regs.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class || JAVA_ONLY.contains(f.getName())) continue;
            m.put(f.getName(), Integer.toUnsignedLong(f.getInt(null)));
        }
        return m;
    }

    @Test
    void everyDefineOfTheDriverHeaderIsInRegsWithItsValue() throws Exception {
        Map<String, Long> header = headerDefines(), java = javaConstants();
        assertTrue(header.size() > 30, "parsed too few defines from " + HEADER + ": " + header.keySet());
        for (var e : header.entrySet()) {
            assertTrue(java.containsKey(e.getKey()), HEADER + " defines " + e.getKey() + ", Regs has no such constant");
            assertEquals(e.getValue(), java.get(e.getKey()), "Regs." + e.getKey() + " differs from " + HEADER);
        }
    }

    @Test
    void everyRegsConstantIsTheDriverHeaders() throws Exception {
        Set<String> extra = new TreeSet<>(javaConstants().keySet());
        extra.removeAll(headerDefines().keySet());
        assertEquals(Set.of(), extra, "constants of Regs that " + HEADER + " does not define");
    }

    @Test
    void basepPairsFollowTheHeadersMacros() throws Exception {
        String text = Files.readString(HEADER);
        Matcher lo = Pattern.compile("#define NPU_REG_BASEP\\(x\\)\\s+\\((0x[0-9a-f]+) \\+ \\(x\\) \\* (\\d+)\\)").matcher(text);
        Matcher hi = Pattern.compile("#define NPU_REG_BASEP_HI\\(x\\)\\s+\\((0x[0-9a-f]+) \\+ \\(x\\) \\* (\\d+)\\)").matcher(text);
        assertTrue(lo.find() && hi.find(), HEADER + ": NPU_REG_BASEP(x) / NPU_REG_BASEP_HI(x) not in the expected form");
        for (int n = 0; n < BASEP_REGION_MAX; n++) {
            assertEquals(Long.decode(lo.group(1)) + n * Long.parseLong(lo.group(2)), BASEP(n));
            assertEquals(Long.decode(hi.group(1)) + n * Long.parseLong(hi.group(2)), BASEP_HI(n));
        }
        assertEquals(BASEP_HI(BASEP_REGION_MAX - 1) + 4, BASEP_END);
        assertThrows(IllegalArgumentException.class, () -> BASEP(BASEP_REGION_MAX));
        assertEquals(ID_ARCH_MAJOR_MASK, 0xf << ID_ARCH_MAJOR_SHIFT);
        assertEquals(1, archMajor(0x1fff_ffff));
        assertEquals(15, archMajor(0xf000_0000));
    }

    @Test
    void namesReadAsInTraces() {
        assertEquals("STATUS", name(STATUS));
        assertEquals("QBASE_HI", name(QBASE_HI));
        assertEquals("BASEP(3)", name(BASEP(3)));
        assertEquals("BASEP_HI(0)", name(BASEP_HI(0)));
        assertEquals("AXILIMIT2", name(AXILIMIT2));
        assertEquals("MEM_ATTR2", NpuVariant.U85.regName(MEM_ATTR2));
        assertEquals("AXI_EXT", name(AXI_EXT));
        assertEquals("0x02c", name(0x02c));
        assertEquals("0x0c0", name(BASEP_END));
    }
}
