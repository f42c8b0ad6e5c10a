// The model's gem.c (the bench's glue): buffer objects with a bus address and a CPU mapping, a
// reservation object each, real reference counts and per-file handles; a command-stream BO also
// carries its validated info. DRM files (struct drm_file) live here too.
package ethosu.bench.model;


public final class Gem {
    private Gem() {}

    /** GLUE_DMA_BASE: the first BO address; BOs are 64 KiB aligned. */
    static final long GLUE_DMA_BASE = 0x80000000L;
    /** GLUE_SRAM_PHYS: bus address of the NPU's SRAM. */
    static final long GLUE_SRAM_PHYS = 0x7f000000L;
    static final int SIZEOF_ETHOSU_GEM_OBJECT = 128, SIZEOF_INFO = 80;

    /** struct ethosu_validated_cmdstream_info */
    public static final class CmdstreamInfo extends Slab.Mem {
        int cmd_size;
        final long[] region_size = new long[8];
        final boolean[] output_region = new boolean[8];

        @Override
        protected void poison() {
            cmd_size = Kshim.POISON_U32;
            java.util.Arrays.fill(region_size, Kshim.POISON_U64);
            java.util.Arrays.fill(output_region, true);
        }
    }

    /** struct ethosu_gem_object, with its drm_gem_dma_object and drm_gem_object. */
    public static final class GemObject extends Slab.Mem {
        static final GemObject POISON = new GemObject().asPoisonPtr();

        final Locking.Kref refcount = new Locking.Kref();
        int handle_count;
        long size;
        final DmaResv _resv = new DmaResv();
        DmaResv resv;
        long dma_addr;
        int[] vaddr;
        CmdstreamInfo info;
        int flags;

        @Override
        protected void poison() {
            refcount.poison();
            handle_count = Kshim.POISON_U32;
            size = Kshim.POISON_U64;
            resv = null;
            dma_addr = Kshim.POISON_U64;
            info = null;
            flags = Kshim.POISON_U32;
        }
    }

    /** struct drm_file, with the handle table (index = handle - 1). */
    public static final class DrmFile {
        EthosuDevice.EthosuFilePriv driver_priv;
        long client_id;
        final Locking.Spinlock table_lock = new Locking.Spinlock();
        GemObject[] handles = new GemObject[0];
        Slab.Buf handles_mem;
        int handle_cap;
    }

    /** struct ebench_file: what the bench's C API hands out for an open file. */
    public static final class EbenchFile extends Slab.Mem {
        static final int SIZEOF = 64;
        final DrmFile file = new DrmFile();

        @Override
        protected void poison() {
            file.driver_priv = null;
        }
    }

    private static void ethosu_bench_gem_free(GemObject bo) {
        DmaResv.dma_resv_fini(bo._resv);
        bo.vaddr = null;
        Slab.kfree(bo.info, "ethosu_bench_gem_free");
        Slab.kfree(bo, "ethosu_bench_gem_free");
        Kshim.count(Kdev.C_BOS_LIVE, -1);
    }

    static int drm_gem_object_init(GemObject obj, long size) {
        Locking.kref_init(obj.refcount);
        obj.size = size;
        DmaResv.dma_resv_init(obj._resv);
        obj.resv = obj._resv;
        return 0;
    }

    static void drm_gem_object_get(GemObject obj) {
        Locking.kref_get(obj.refcount);
    }

    static void drm_gem_object_put(GemObject obj) {
        if (obj != null) Locking.kref_put(obj.refcount, () -> ethosu_bench_gem_free(obj));
    }

    /** ethosu_gem_create_object: null when out of memory (ERR_PTR(-ENOMEM)). */
    static GemObject ethosu_gem_create_object(long size) {
        Kdev d = Kshim.dev();
        GemObject bo = Slab.kzalloc(SIZEOF_ETHOSU_GEM_OBJECT, Slab.GFP_KERNEL, "ethosu_gem_create_object", GemObject::new);
        if (bo == null) return null;
        bo.vaddr = new int[(int) ((Math.max(size, 1) + 3) / 4)];
        drm_gem_object_init(bo, size);
        long span = (Math.max(size, 1) + 0xffffL) & ~0xffffL;
        bo.dma_addr = GLUE_DMA_BASE + d.next_dma;
        d.next_dma += span;
        Kshim.count(Kdev.C_BOS_LIVE, 1);
        return bo;
    }

    static int drm_gem_handle_create(DrmFile file, GemObject obj, int[] handlep) {
        int i;
        Locking.spin_lock(file.table_lock);
        for (i = 0; i < file.handle_cap; i++)
            if (file.handles[i] == null) break;
        if (i == file.handle_cap) {
            Locking.spin_unlock(file.table_lock);
            int cap = file.handle_cap != 0 ? file.handle_cap * 2 : 16;
            Slab.Buf table = Slab.kzalloc((long) cap * 8, Slab.GFP_KERNEL, "drm_gem_handle_create", Slab.Buf::new);
            if (table == null) return -Kshim.ENOMEM;
            Locking.spin_lock(file.table_lock);
            GemObject[] handles = java.util.Arrays.copyOf(file.handles, cap);
            Slab.kfree(file.handles_mem, "drm_gem_handle_create");
            file.handles = handles;
            file.handles_mem = table;
            i = file.handle_cap;
            file.handle_cap = cap;
        }
        drm_gem_object_get(obj);
        obj.handle_count++;
        file.handles[i] = obj;
        Locking.spin_unlock(file.table_lock);
        handlep[0] = i + 1;
        return 0;
    }

    static int drm_gem_handle_delete(DrmFile file, int handle) {
        GemObject obj = null;
        Locking.spin_lock(file.table_lock);
        if (handle >= 1 && handle <= file.handle_cap) {
            obj = file.handles[handle - 1];
            file.handles[handle - 1] = null;
        }
        Locking.spin_unlock(file.table_lock);
        if (obj == null) return -Kshim.EINVAL;
        obj.handle_count--;
        drm_gem_object_put(obj);
        return 0;
    }

    static GemObject drm_gem_object_lookup(DrmFile file, int handle) {
        GemObject obj = null;
        Locking.spin_lock(file.table_lock);
        if (handle >= 1 && handle <= file.handle_cap) {
            obj = file.handles[handle - 1];
            if (obj != null) drm_gem_object_get(obj);
        }
        Locking.spin_unlock(file.table_lock);
        return obj;
    }

    static int drm_gem_lock_reservations(GemObject[] objs, int count, DmaResv.WwAcquireCtx acquire_ctx) {
        DmaResv.ww_acquire_init(acquire_ctx);
        for (int i = 0; i < count; i++) {
            int ret = DmaResv.dma_resv_lock(objs[i].resv, acquire_ctx);
            if (ret != 0) {
                while (--i >= 0) DmaResv.dma_resv_unlock(objs[i].resv);
                DmaResv.ww_acquire_fini(acquire_ctx);
                return ret;
            }
        }
        DmaResv.ww_acquire_done(acquire_ctx);
        return 0;
    }

    static void drm_gem_unlock_reservations(GemObject[] objs, int count, DmaResv.WwAcquireCtx acquire_ctx) {
        for (int i = 0; i < count; i++) DmaResv.dma_resv_unlock(objs[i].resv);
        DmaResv.ww_acquire_fini(acquire_ctx);
    }

    /** The validated record of a stream, as ebench_cmd_bo_create receives it. */
    public record Info(int cmdSize, long[] regionSize, boolean[] outputRegion) {}

    /** glue_bo_create: words non-null makes a command-stream BO. The handle, or a negative errno. */
    static int glue_bo_create(EbenchFile f, long size, int[] words, Info info) {
        if (words != null && (long) words.length * 4 > size) size = (long) words.length * 4;
        if (size == 0 || Long.compareUnsigned(size, 1L << 31) > 0) return -Kshim.EINVAL;
        GemObject obj = ethosu_gem_create_object(size);
        if (obj == null) return -Kshim.ENOMEM;
        if (words != null) {
            System.arraycopy(words, 0, obj.vaddr, 0, words.length);
            obj.info = Slab.kzalloc(SIZEOF_INFO, Slab.GFP_KERNEL, "glue_bo_create", CmdstreamInfo::new);
            if (obj.info == null) {
                drm_gem_object_put(obj);
                return -Kshim.ENOMEM;
            }
            if (info != null) {
                obj.info.cmd_size = info.cmdSize();
                for (int i = 0; i < 8; i++) {
                    obj.info.region_size[i] = info.regionSize()[i];
                    obj.info.output_region[i] = info.outputRegion()[i];
                }
            } else {
                obj.info.cmd_size = words.length * 4;
            }
        }
        int[] handle = new int[1];
        int ret = drm_gem_handle_create(f.file, obj, handle);
        // the handle holds the reference now, as drm_gem_handle_create leaves it
        drm_gem_object_put(obj);
        return ret != 0 ? ret : handle[0];
    }

    static long glue_bo_dma_addr(EbenchFile f, int handle) {
        GemObject obj = drm_gem_object_lookup(f.file, handle);
        if (obj == null) return 0;
        long addr = obj.dma_addr;
        drm_gem_object_put(obj);
        return addr;
    }

}
