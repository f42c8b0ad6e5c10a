// The C of a variant as the device under test: NativeDevice's calls behind DeviceUnderTest, with
// the user memory the ioctls read (command streams, the submit's job array) laid out in segments.
package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.bindings.Hooks;
import ethosu.bench.bindings.NativeDevice;
import ethosu.bench.bindings.gen.drm_ethosu_job;
import ethosu.bench.bindings.gen.drm_ethosu_submit;
import ethosu.bench.bindings.gen.ebench_cmdstream_info;
import ethosu.bench.hw.RegisterFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

final class NativeDut implements DeviceUnderTest {
    /** The engine of a variant library. */
    record NativeEngine(EthosuLibrary lib) implements Engine {
        @Override
        public String variant() {
            return lib.variant;
        }

        @Override
        public String kind() {
            return "c";
        }

        @Override
        public DeviceUnderTest create(Harness.Setup setup, Platform platform, Hooks.Target target) {
            // a device released by an earlier run (reset, register file kept), or a new one
            NativeDevice nat = NativeDevice.acquire(lib, new NativeDevice.Config(platform.nativePlatform(), setup.npu().resetId(),
                    setup.npu().resetConfig(), setup.sramSize(), platform.timeScale(), setup.traceLevel(), platform.chaos(),
                    setup.regsPath() == null ? null : setup.regsPath().toString()), target);
            return new NativeDut(nat);
        }
    }

    final NativeDevice nat;
    private final RegisterFile regs;

    NativeDut(NativeDevice nat) {
        this.nat = nat;
        this.regs = RegisterFile.wrap(nat.regs(), Path.of(nat.regsPath()));
    }

    @Override
    public RegisterFile registers() {
        return regs;
    }

    @Override
    public Context bind(int kind, int id) {
        return new Ctx(nat.bind(kind, id));
    }

    @Override
    public int probe() {
        return nat.probe();
    }

    @Override
    public void remove() {
        nat.remove();
    }

    @Override
    public int checkLeaks() {
        return nat.checkLeaks();
    }

    @Override
    public NativeDevice.Counters counters() {
        return nat.counters();
    }

    @Override
    public void failAlloc(int nth) {
        nat.failAlloc(nth);
    }

    @Override
    public int fail(int fault, String site, int nth) {
        return nat.fail(fault, site, nth);
    }

    @Override
    public void destroy() {
        nat.destroy();
        regs.close();
    }

    @Override
    public void release() {
        regs.close();
        nat.release();
    }

    private final class Ctx implements Context {
        final MemorySegment ctx;

        Ctx(MemorySegment ctx) {
            this.ctx = ctx;
        }

        @Override
        public int loop() {
            return nat.loop(ctx);
        }

        @Override
        public int hardirq() {
            return nat.hardirq(ctx);
        }

        @Override
        public File open(int[] ret) {
            MemorySegment f = nat.fileOpen(ctx, ret);
            return f.equals(MemorySegment.NULL) ? null : new NativeFile(ctx, f);
        }

        @Override
        public void exiting(int exitCode) {
            nat.exiting(ctx, exitCode);
        }

        @Override
        public int selftestLockOrder(int order) {
            return nat.selftestLockOrder(ctx, order);
        }

        @Override
        public void unbind() {
            nat.unbind(ctx);
        }

        @Override
        public MemorySegment handle() {
            return ctx;
        }
    }

    private final class NativeFile implements File {
        final MemorySegment ctx, file;

        NativeFile(MemorySegment ctx, MemorySegment file) {
            this.ctx = ctx;
            this.file = file;
        }

        @Override
        public int boCreate(long size) {
            return nat.boCreate(ctx, file, size);
        }

        @Override
        public int cmdBoCreate(Client.Stream s) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment words = a.allocateFrom(ValueLayout.JAVA_INT, s.words());
                MemorySegment info = ebench_cmdstream_info.allocate(a);
                ebench_cmdstream_info.cmd_size(info, s.cmdSize());
                for (int i = 0; i < Client.REGIONS; i++) {
                    ebench_cmdstream_info.region_size(info, i, s.regionSize()[i]);
                    ebench_cmdstream_info.output_region(info, i, s.outputRegion()[i]);
                }
                return nat.cmdBoCreate(ctx, file, words, s.words().length, info);
            }
        }

        @Override
        public long boDmaAddr(int handle) {
            return nat.boDmaAddr(ctx, file, handle);
        }

        @Override
        public int boClose(int handle) {
            return nat.boClose(ctx, file, handle);
        }

        @Override
        public int submit(Client.JobArgs[] jobs, int jobCount, int pad, boolean badPointer) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment arr = drm_ethosu_job.allocateArray(Math.max(1, jobs.length), a);
                for (int i = 0; i < jobs.length; i++) {
                    MemorySegment job = drm_ethosu_job.asSlice(arr, i);
                    drm_ethosu_job.cmd_bo(job, jobs[i].cmdBo());
                    drm_ethosu_job.sram_size(job, jobs[i].sramSize());
                    for (int r = 0; r < Client.REGIONS; r++)
                        drm_ethosu_job.region_bo_handles(job, r, jobs[i].regionHandles()[r]);
                }
                MemorySegment args = drm_ethosu_submit.allocate(a);
                // an address no process maps: copy_from_user fails with -EFAULT
                drm_ethosu_submit.jobs(args, badPointer ? 0x10L : arr.address());
                drm_ethosu_submit.job_count(args, jobCount);
                drm_ethosu_submit.pad(args, pad);
                return nat.submit(ctx, file, args);
            }
        }

        @Override
        public void close() {
            nat.fileClose(ctx, file);
        }
    }
}
