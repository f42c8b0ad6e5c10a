// A submit the driver must refuse: one for each error exit of DRM_IOCTL_ETHOSU_SUBMIT before a job is
// pushed, with the errno mainline returns there. A scenario's `submit <job> bad <kind>` line makes one.
package ethosu.bench.scenario;

import ethosu.bench.check.Errno;
import ethosu.bench.kernel.Client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public enum BadSubmit {
    PAD("pad", -Errno.EINVAL, "a non-zero pad in the submit"),
    JOB_ARRAY("job-array", -Errno.EFAULT, "a job array the kernel cannot read"),
    JOB_COUNT("job-count", -Errno.ENOMEM, "a job_count of 0x7fffffff (an array beyond INT_MAX bytes)"),
    SRAM_HANDLE("sram-handle", -Errno.EINVAL, "a region-2 BO handle with sram_size set"),
    SRAM_SIZE("sram-size", -Errno.EINVAL, "an sram_size beyond the NPU's SRAM"),
    CMD_HANDLE("cmd-handle", -Errno.ENOENT, "a command-stream handle that was closed"),
    CMD_BO("cmd-bo", -Errno.EINVAL, "a plain BO as the command stream"),
    UNUSED_REGION("unused-region", -Errno.EINVAL, "a BO handle for a region the stream does not use"),
    REGION_HANDLE("region-handle", -Errno.ENOENT, "an unknown BO handle for a region the stream uses"),
    REGION_CMD_BO("region-cmd-bo", -Errno.EINVAL, "a command-stream BO as a region"),
    REGION_SIZE("region-size", -Errno.EOVERFLOW, "a region BO smaller than the stream's accesses"),
    SRAM_NEED("sram-need", -Errno.EINVAL, "a stream whose SRAM region exceeds the NPU's SRAM");

    public final String word;
    /** What mainline returns for it (ethosu_ioctl_submit, ethosu_ioctl_submit_job). */
    public final int errno;
    public final String about;

    BadSubmit(String word, int errno, String about) {
        this.word = word;
        this.errno = errno;
        this.about = about;
    }

    public static BadSubmit of(String word) {
        for (BadSubmit b : values()) if (b.word.equals(word.toLowerCase(Locale.ROOT))) return b;
        return null;
    }

    public static List<String> words() {
        List<String> out = new ArrayList<>();
        for (BadSubmit b : values()) out.add(b.word);
        return out;
    }

    /** The command-stream BO a bad submit names, made before any submit; 0 when it names none. */
    public int commandBo(Client c, int npuSram) {
        return switch (this) {
            case PAD, JOB_ARRAY, JOB_COUNT, SRAM_SIZE, CMD_HANDLE -> c.createCmdBo(Client.Stream.simple(1));
            case SRAM_HANDLE -> c.createCmdBo(Client.Stream.simple(1).withRegion(2, 256, true));
            case CMD_BO -> 0;
            case UNUSED_REGION, REGION_CMD_BO -> c.createCmdBo(Client.Stream.simple(1).withRegion(1, 16, false));
            case REGION_HANDLE -> c.createCmdBo(Client.Stream.simple(1).withRegion(0, 256, false));
            case REGION_SIZE -> c.createCmdBo(Client.Stream.simple(1).withRegion(0, 4097, true));
            case SRAM_NEED -> c.createCmdBo(Client.Stream.simple(1).withRegion(2, npuSram + 1L, true));
        };
    }

    /** Makes the submit (the ioctl) with the command-stream BO made before; its result. */
    public int submit(Client c, int cmd, int npuSram) {
        Client.JobArgs j = cmd > 0 ? Client.JobArgs.of(cmd) : null;
        return switch (this) {
            case PAD -> c.submitRaw(new Client.JobArgs[]{j}, 1, 1, false);
            case JOB_ARRAY -> c.submitRaw(new Client.JobArgs[]{j}, 1, 0, true);
            case JOB_COUNT -> c.submitRaw(new Client.JobArgs[0], 0x7fffffff, 0, false);
            case SRAM_HANDLE -> c.submit(j.withRegion(2, c.createBo(4096)).withSram(256));
            case SRAM_SIZE -> c.submit(j.withSram(npuSram + 1));
            case CMD_HANDLE -> {
                c.closeBo(cmd);
                yield c.submit(j);
            }
            case CMD_BO -> c.submit(Client.JobArgs.of(c.createBo(4096)));
            case UNUSED_REGION -> c.submit(j.withRegion(1, c.createBo(4096)).withRegion(3, c.createBo(4096)));
            case REGION_HANDLE -> c.submit(j.withRegion(0, 0x7ffff));
            case REGION_CMD_BO -> c.submit(j.withRegion(1, c.createCmdBo(Client.Stream.simple(15))));
            case REGION_SIZE -> c.submit(j.withRegion(0, c.createBo(4096)));
            case SRAM_NEED -> c.submit(j);
        };
    }
}
