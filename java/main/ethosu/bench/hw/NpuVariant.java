// The two Ethos-U generations the driver supports: their reset ID/CONFIG and which registers each has.
// The driver tells them apart only by ID bits 31:28 (1: U65); the other ID/CONFIG bits are representative.
package ethosu.bench.hw;

import static ethosu.bench.hw.Regs.*;

public enum NpuVariant {
    /** Arch 1.x: AXILIMIT0..3 at 0x040..0x04c, no AXI_SRAM/AXI_EXT. */
    U65(0x1010_0111, 0x1000_3008),
    /** Arch 2.x: MEM_ATTR0..3 at 0x040..0x04c, plus AXI_SRAM and AXI_EXT. */
    U85(0x2000_0111, 0x2000_4008);

    private final int resetId;
    private final int resetConfig;

    NpuVariant(int resetId, int resetConfig) {
        this.resetId = resetId;
        this.resetConfig = resetConfig;
    }

    /** ID after reset (bits 31:28 = architecture major). */
    public int resetId() {
        return resetId;
    }

    /** CONFIG after reset. */
    public int resetConfig() {
        return resetConfig;
    }

    /** The variant an ID register value describes, as mainline decides it: arch major 1 is U65, else U85. */
    public static NpuVariant fromId(int id) {
        return Regs.archMajor(id) == 1 ? U65 : U85;
    }

    /** Whether this variant has a register at off (the ones the driver under test touches). */
    public boolean hasRegister(int off) {
        return switch (off) {
            case ID, STATUS, CMD, RESET, QBASE, QBASE_HI, QREAD, QCONFIG, QSIZE, PROT, CONFIG, REGIONCFG,
                 0x040, 0x044, 0x048, 0x04c -> true;
            case AXI_SRAM, AXI_EXT -> this == U85;
            default -> Regs.isBasep(off);
        };
    }

    /** Register name with this variant's naming of 0x040..0x04c (AXILIMITn or MEM_ATTRn). */
    public String regName(int off) {
        return Regs.name(off, this);
    }
}
