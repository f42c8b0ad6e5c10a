// Which registers each generation has, and how its ID tells them apart (mainline's ethosu_is_u65).
package ethosu.bench.hw;

import static ethosu.bench.hw.Regs.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class NpuVariantTest {
    @Test
    void u85HasAxiRegisters() {
        assertTrue(NpuVariant.U85.hasRegister(AXI_SRAM));
        assertTrue(NpuVariant.U85.hasRegister(AXI_EXT));
        assertTrue(NpuVariant.U85.hasRegister(MEM_ATTR0));
        assertFalse(NpuVariant.U65.hasRegister(AXI_SRAM));
        assertFalse(NpuVariant.U65.hasRegister(AXI_EXT));
        assertTrue(NpuVariant.U65.hasRegister(AXILIMIT0));
    }

    @Test
    void bothHaveTheJobRegistersAndEightRegions() {
        for (NpuVariant v : NpuVariant.values()) {
            for (int off : new int[] {ID, STATUS, CMD, RESET, QBASE, QBASE_HI, QREAD, QCONFIG, QSIZE, PROT, CONFIG, REGIONCFG})
                assertTrue(v.hasRegister(off), v + " " + name(off));
            for (int n = 0; n < BASEP_REGION_MAX; n++)
                assertTrue(v.hasRegister(BASEP(n)) && v.hasRegister(BASEP_HI(n)), v + " region " + n);
            assertFalse(v.hasRegister(BASEP_END), v + " past the last region");
            assertFalse(v.hasRegister(0x02c), v + " gap");
        }
    }

    @Test
    void resetIdCarriesTheArchMajorTheDriverTests() {
        assertEquals(1, archMajor(NpuVariant.U65.resetId()));
        assertNotEquals(1, archMajor(NpuVariant.U85.resetId()));
        assertEquals(NpuVariant.U65, NpuVariant.fromId(NpuVariant.U65.resetId()));
        assertEquals(NpuVariant.U85, NpuVariant.fromId(NpuVariant.U85.resetId()));
        assertEquals(NpuVariant.U85, NpuVariant.fromId(0x3000_0000));
    }
}
