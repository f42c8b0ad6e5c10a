// The Ethos-U register map as the driver under test uses it: the one Java copy of
// native/driver/ethosu_device.h, which RegsTest holds it to (every define, both ways). Traces name
// registers from here; the C side passes offsets.
package ethosu.bench.hw;

/** Register offsets (bytes into the 4 KiB window) and bit values; all registers are 32-bit. */
public final class Regs {
    private Regs() {}

    /** Size of the register window and of the register file. */
    public static final int WINDOW_SIZE = 4096;

    public static final int ID = 0x000;
    public static final int STATUS = 0x004;
    public static final int CMD = 0x008;
    public static final int RESET = 0x00c;
    public static final int QBASE = 0x010;
    public static final int QBASE_HI = 0x014;
    public static final int QREAD = 0x018;
    public static final int QCONFIG = 0x01c;
    public static final int QSIZE = 0x020;
    public static final int PROT = 0x024;
    public static final int CONFIG = 0x028;
    public static final int REGIONCFG = 0x03c;
    /** U65 only; the same offsets are MEM_ATTR0..3 on U85. */
    public static final int AXILIMIT0 = 0x040, AXILIMIT1 = 0x044, AXILIMIT2 = 0x048, AXILIMIT3 = 0x04c;
    /** U85 only; the same offsets are AXILIMIT0..3 on U65. */
    public static final int MEM_ATTR0 = 0x040, MEM_ATTR1 = 0x044, MEM_ATTR2 = 0x048, MEM_ATTR3 = 0x04c;
    /** U85 only. */
    public static final int AXI_SRAM = 0x050;
    /** U85 only. */
    public static final int AXI_EXT = 0x054;

    /** NPU_BASEP_REGION_MAX: number of BASEP/BASEP_HI pairs. */
    public static final int BASEP_REGION_MAX = 8;
    /** ETHOSU_SRAM_REGION: the region the driver points at SRAM. */
    public static final int SRAM_REGION = 2;

    public static int BASEP(int n) {
        return 0x080 + 8 * checkRegion(n);
    }

    public static int BASEP_HI(int n) {
        return 0x084 + 8 * checkRegion(n);
    }

    /** First byte past the last BASEP_HI. */
    public static final int BASEP_END = 0x080 + 8 * BASEP_REGION_MAX;

    // STATUS
    public static final int STATUS_STATE_RUNNING = 1 << 0;
    /** Cleared by writing CMD_CLEAR_IRQ. */
    public static final int STATUS_IRQ_RAISED = 1 << 1;
    /** Bus error; cleared only by reset. */
    public static final int STATUS_BUS_STATUS = 1 << 2;
    public static final int STATUS_RESET_STATUS = 1 << 3;
    /** Command parse error; cleared only by reset. */
    public static final int STATUS_CMD_PARSE_ERR = 1 << 4;
    public static final int STATUS_CMD_END_REACHED = 1 << 5;

    // CMD
    public static final int CMD_TRANSITION_TO_RUN = 1 << 0;
    public static final int CMD_CLEAR_IRQ = 1 << 1;

    // RESET
    public static final int RESET_PENDING_CPL = 1 << 0;
    public static final int RESET_PENDING_CSL = 1 << 1;

    // PROT
    public static final int PROT_ACTIVE_CSL = 1 << 1;

    // ID
    public static final int ID_ARCH_MAJOR_SHIFT = 28;
    public static final int ID_ARCH_MAJOR_MASK = 0xf << ID_ARCH_MAJOR_SHIFT;
    /** The other version fields of ID (probe prints them; the job code reads only the major). */
    public static final int ID_ARCH_MINOR_MASK = 0xff << 20, ID_ARCH_PATCH_MASK = 0xf << 16,
            ID_VER_MAJOR_MASK = 0xf << 8, ID_VER_MINOR_MASK = 0xf << 4;

    // CONFIG
    public static final int CONFIG_MACS_PER_CC_MASK = 0xf, CONFIG_CMD_STREAM_VER_MASK = 0xf << 4;

    /** ID bits 31:28; 1 means U65 (mainline's ethosu_is_u65). */
    public static int archMajor(int id) {
        return (id & ID_ARCH_MAJOR_MASK) >>> ID_ARCH_MAJOR_SHIFT;
    }

    /** Whether off is a register-sized, register-aligned offset inside the window. */
    public static boolean inWindow(int off) {
        return off >= 0 && off <= WINDOW_SIZE - 4 && (off & 3) == 0;
    }

    /** Whether off is one of the BASEP/BASEP_HI registers. */
    public static boolean isBasep(int off) {
        return off >= BASEP(0) && off < BASEP_END && (off & 3) == 0;
    }

    /**
     * The register's name for traces ("STATUS", "BASEP(3)", "BASEP_HI(0)"), using the U65 names
     * at 0x040..0x04c; {@link NpuVariant#regName(int)} gives the variant's own. Offsets that
     * name no register print as hex ("0x0a0").
     */
    public static String name(int off) {
        return name(off, NpuVariant.U65);
    }

    static String name(int off, NpuVariant v) {
        return switch (off) {
            case ID -> "ID";
            case STATUS -> "STATUS";
            case CMD -> "CMD";
            case RESET -> "RESET";
            case QBASE -> "QBASE";
            case QBASE_HI -> "QBASE_HI";
            case QREAD -> "QREAD";
            case QCONFIG -> "QCONFIG";
            case QSIZE -> "QSIZE";
            case PROT -> "PROT";
            case CONFIG -> "CONFIG";
            case REGIONCFG -> "REGIONCFG";
            case AXILIMIT0, AXILIMIT1, AXILIMIT2, AXILIMIT3 ->
                (v == NpuVariant.U85 ? "MEM_ATTR" : "AXILIMIT") + ((off - AXILIMIT0) / 4);
            case AXI_SRAM -> "AXI_SRAM";
            case AXI_EXT -> "AXI_EXT";
            default -> {
                if (isBasep(off)) {
                    int n = (off - BASEP(0)) / 8;
                    yield ((off & 4) == 0 ? "BASEP(" : "BASEP_HI(") + n + ")";
                }
                yield String.format("0x%03x", off);
            }
        };
    }

    private static int checkRegion(int n) {
        if (n < 0 || n >= BASEP_REGION_MAX)
            throw new IllegalArgumentException("region " + n + " out of range 0.." + (BASEP_REGION_MAX - 1));
        return n;
    }
}
