// The model's slab.c: kmalloc and friends per device. Every object carries a header (size,
// allocation site); a freed object is poisoned (each field reads as 0x6b bytes) and quarantined,
// so a use after free reads poison, never a reused object, and the shims' checks see it.
package ethosu.bench.model;

import ethosu.bench.event.KernelReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

public final class Slab {
    private Slab() {}

    public static final int GFP_KERNEL = 0x1, __GFP_ZERO = 0x100, __GFP_NOWARN = 0x200, __GFP_ATOMIC = 0x800,
            __GFP_KSHIM_KV = 0x1000, GFP_NOWAIT = 0x2 | __GFP_ATOMIC, GFP_ATOMIC = 0x4 | __GFP_ATOMIC;

    /**
     * A piece of memory the C could free: a struct, or an array. Freeing it poisons every field
     * ({@link #poison}); a pointer read from freed memory is the type's poison sentinel
     * ({@link #isPoisonPtr}), as the C reads 0x6b6b6b6b6b6b6b6b.
     */
    public abstract static class Mem {
        /** the slab header when this is the start of an allocation; null for embedded structs */
        Obj hdr;
        private boolean poisonPtr;

        /** memset(0x6b) over this struct, embedded structs included. */
        protected abstract void poison();

        /** Marks this instance as the poison pointer of its type. */
        protected final <T extends Mem> T asPoisonPtr() {
            poisonPtr = true;
            poison();
            @SuppressWarnings("unchecked") T t = (T) this;
            return t;
        }

        /** kshim_poisoned_ptr: this is what a pointer read from freed memory points to. */
        public final boolean isPoisonPtr() {
            return poisonPtr;
        }
    }

    /** kshim_poisoned_ptr(p) */
    public static boolean poisoned_ptr(Mem p) {
        return p != null && p.isPoisonPtr();
    }

    /** A plain buffer: an array the C allocates (the submit's job array, a handle table). */
    public static final class Buf extends Mem {
        boolean poisoned;

        @Override
        protected void poison() {
            poisoned = true;
        }
    }

    /** struct kshim_obj: the header of one allocation. */
    static final class Obj {
        static final int LIVE = 0x4f424a4c, FREED = 0x4f424a46;
        int magic = LIVE;
        final int flags;
        final long size;
        final String site;
        String free_site;
        final Mem mem;

        Obj(int flags, long size, String site, Mem mem) {
            this.flags = flags;
            this.size = size;
            this.site = site;
            this.mem = mem;
        }
    }

    /**
     * kshim_alloc: size bytes (the C struct's sizeof, for leak reports) from site (the allocating
     * function, as __func__); make builds the zeroed struct. Null when the allocation fails.
     */
    public static <T extends Mem> T kshim_alloc(long size, int flags, String site, Supplier<T> make) {
        Kdev d = Kshim.dev();
        if ((flags & __GFP_ATOMIC) == 0) Kshim.might_sleep("kmalloc(GFP_KERNEL)");
        if (size > Integer.MAX_VALUE || size < 0) {
            // kvmalloc refuses crazy sizes with a warning; kmalloc fails quietly
            if ((flags & __GFP_KSHIM_KV) != 0 && (flags & __GFP_NOWARN) == 0)
                Kshim.finding_at(KernelReport.Kind.WARN, site, String.format(
                        "WARNING: kvmalloc of %s bytes (> INT_MAX) from %s", Long.toUnsignedString(size), site));
            return null;
        }
        if (d == null) return null;
        if (Kshim.fault(Kshim.FAULT_ALLOC, site)) return null;
        T m = make.get();
        m.hdr = new Obj(flags, size, site, m);
        d.slab_live.add(m.hdr);
        d.counters[Kdev.C_SLAB_LIVE]++;
        return m;
    }

    public static <T extends Mem> T kzalloc(long size, int flags, String site, Supplier<T> make) {
        return kshim_alloc(size, flags | __GFP_ZERO, site, make);
    }

    public static <T extends Mem> T kvmalloc(long size, int flags, String site, Supplier<T> make) {
        return kshim_alloc(size, flags | __GFP_KSHIM_KV, site, make);
    }

    /** kshim_free: poison and quarantine; a double free, or a free of poison, is a finding. */
    public static void kfree(Mem p, String site) {
        if (p == null) return;
        if (p.isPoisonPtr()) {
            Kshim.finding_at(KernelReport.Kind.UAF, site, "BUG: kfree of a pointer read from freed memory in " + site);
            return;
        }
        Obj o = p.hdr;
        if (o != null && o.magic == Obj.FREED) {
            Kshim.finding_at(KernelReport.Kind.DOUBLE_FREE, site, String.format(
                    "BUG: double free of an object of %d bytes from %s, freed in %s, again in %s", o.size, o.site,
                    o.free_site, site));
            return;
        }
        if (o == null || o.magic != Obj.LIVE) {
            Kshim.finding_at(KernelReport.Kind.OOPS, site, "BUG: kfree of an address that is not an object, in " + site);
            return;
        }
        Kdev d = Kshim.dev();
        if (d == null) return;
        p.poison();
        o.magic = Obj.FREED;
        o.free_site = site;
        d.slab_live.remove(o);
        d.slab_quarantine.add(o);
        d.counters[Kdev.C_SLAB_LIVE]--;
    }

    /**
     * kfree_rcu: the object stays valid while any context is in an RCU read-side section (an
     * atomic section here), as after call_rcu().
     */
    public static void kfree_rcu(Mem p, String site) {
        if (p == null || p.isPoisonPtr() || p.hdr == null || p.hdr.magic != Obj.LIVE) {
            kfree(p, site);
            return;
        }
        Kdev d = Kshim.dev();
        if (d.rcu_readers == 0) {
            kfree(p, site);
            return;
        }
        p.hdr.free_site = site;
        d.slab_live.remove(p.hdr);
        d.slab_rcu.add(p.hdr);
    }

    /** kshim_rcu_quiescent: a grace period ended; free what kfree_rcu deferred. */
    static void rcu_quiescent(Kdev d) {
        List<Obj> done = new ArrayList<>(d.slab_rcu);
        d.slab_rcu.clear();
        for (Obj o : done) {
            // back on the live list for kfree to take it off
            d.slab_live.add(o);
            kfree(o.mem, o.free_site);
        }
    }

    /** kshim_slab_report_leaks: live objects grouped by allocation site and size; the number of groups. */
    static int report_leaks(Kdev d) {
        record Group(String site, long size) {}
        Map<Group, Integer> groups = new LinkedHashMap<>();
        for (Obj o : d.slab_live) {
            Group g = new Group(o.site, o.size);
            if (!groups.containsKey(g) && groups.size() == 32) continue;
            groups.merge(g, 1, Integer::sum);
        }
        for (var e : groups.entrySet())
            Kshim.finding_at(KernelReport.Kind.LEAK, e.getKey().site(), String.format(
                    "unreferenced object: %d object(s) of %d bytes allocated in %s never freed", e.getValue(),
                    e.getKey().size(), e.getKey().site()));
        return groups.size();
    }
}
