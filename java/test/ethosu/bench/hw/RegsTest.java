// Pins the register map to the spec's offsets and bits, and the names traces print.
package ethosu.bench.hw;

import static ethosu.bench.hw.Regs.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class RegsTest {
    @Test
    void offsetsAreTheSpecs() {
        int[] offs = {ID, STATUS, CMD, RESET, QBASE, QBASE_HI, QREAD, QCONFIG, QSIZE, PROT, CONFIG, REGIONCFG,
                AXILIMIT0, AXILIMIT3, AXI_SRAM, AXI_EXT};
        int[] spec = {0x000, 0x004, 0x008, 0x00c, 0x010, 0x014, 0x018, 0x01c, 0x020, 0x024, 0x028, 0x03c,
                0x040, 0x04c, 0x050, 0x054};
        assertArrayEquals(spec, offs);
        assertEquals(MEM_ATTR2, AXILIMIT2);
        assertEquals(0x080, BASEP(0));
        assertEquals(0x084, BASEP_HI(0));
        assertEquals(0x0b8, BASEP(7));
        assertEquals(0x0bc, BASEP_HI(7));
        assertEquals(8, BASEP_REGION_MAX);
        assertThrows(IllegalArgumentException.class, () -> BASEP(8));
    }

    @Test
    void bitsAreTheSpecs() {
        assertEquals(0x01, STATUS_STATE_RUNNING);
        assertEquals(0x02, STATUS_IRQ_RAISED);
        assertEquals(0x04, STATUS_BUS_STATUS);
        assertEquals(0x08, STATUS_RESET_STATUS);
        assertEquals(0x10, STATUS_CMD_PARSE_ERR);
        assertEquals(0x20, STATUS_CMD_END_REACHED);
        assertEquals(0x1, CMD_TRANSITION_TO_RUN);
        assertEquals(0x2, CMD_CLEAR_IRQ);
        assertEquals(0x1, RESET_PENDING_CPL);
        assertEquals(0x2, RESET_PENDING_CSL);
        assertEquals(0x2, PROT_ACTIVE_CSL);
        assertEquals(1, archMajor(0x1fff_ffff));
        assertEquals(2, archMajor(0x2000_0000));
        assertEquals(15, archMajor(0xf000_0000));
    }

    @Test
    void namesReadAsInTraces() {
        assertEquals("STATUS", name(STATUS));
        assertEquals("QBASE_HI", name(QBASE_HI));
        assertEquals("BASEP(3)", name(BASEP(3)));
        assertEquals("BASEP_HI(0)", name(BASEP_HI(0)));
        assertEquals("AXILIMIT2", name(0x048));
        assertEquals("MEM_ATTR2", NpuVariant.U85.regName(0x048));
        assertEquals("AXI_EXT", name(AXI_EXT));
        assertEquals("0x02c", name(0x02c));
        assertEquals("0x0c0", name(0x0c0));
    }
}
