// The model's locking.c: mutex, spinlock and refcount_t/kref. Locks are the same three-state lock
// words as the C's: acquire and release are scheduling points, a contended acquire waits on the word,
// so the controller sees who waits for whom; the same misuse checks fire with the same reports.
package ethosu.bench.model;

import ethosu.bench.event.KernelReport;
import ethosu.bench.event.Label;
import ethosu.bench.event.PointKind;
import ethosu.bench.event.WaitKind;

import java.util.function.Consumer;

public final class Locking {
    private Locking() {}

    static final int LOCK_MAGIC = 0x4c4f434b; // "LOCK"

    /** What a lock is: its word, magic, owner and role name (struct mutex and spinlock_t alike). */
    abstract static class Lock extends Slab.Mem {
        final Kshim.Word state = new Kshim.Word();
        int magic;
        Kshim.Ctx owner;
        String name;
        /** its point and wait labels, interned once per name (the C caches them per call site and name) */
        Label lockPoint, unlockPoint, waitLabel;

        @Override
        protected void poison() {
            state.value = Kshim.POISON_U32;
            magic = Kshim.POISON_U32;
            owner = null;
        }
    }

    /** struct mutex */
    public static final class Mutex extends Lock {
        public static final Mutex POISON = new Mutex().asPoisonPtr();

        Mutex() {}

        /** __mutex_init with the role name the C takes from the expression ("job_lock"). */
        public Mutex(String name) {
            __mutex_init(this, name);
        }
    }

    /** spinlock_t */
    public static final class Spinlock extends Lock {
        public static final Spinlock POISON = new Spinlock().asPoisonPtr();

        Spinlock() {}

        public Spinlock(String name) {
            __spin_lock_init(this, name);
        }
    }

    private static void lock_word_acquire(Kshim.Word state, Label wait) {
        int c = 0;
        if (state.value == 0) {
            state.value = 1;
            return;
        }
        c = state.value;
        if (c != 2) {
            c = state.value;
            state.value = 2;
        }
        while (c != 0) {
            Kshim.wait(state, 2, Long.MAX_VALUE, wait);
            c = state.value;
            state.value = 2;
        }
    }

    private static void lock_word_release(Kshim.Word state) {
        int old = state.value;
        state.value = 0;
        if (old == 2) Kshim.wake(state);
    }

    /** A lock in freed memory reads as poison: report it instead of spinning on it. */
    private static boolean lock_poisoned(Lock lock, String op) {
        if (Slab.poisoned_ptr(lock) || Kshim.poisoned_u32(lock.magic)) {
            Kshim.finding_at(KernelReport.Kind.UAF, op, "BUG: use-after-free: " + op + " on a freed lock");
            return true;
        }
        return false;
    }

    static String name(Kshim.Ctx c) {
        return c != null ? c.name : "?";
    }

    public static void __mutex_init(Mutex lock, String name) {
        lock.state.value = 0;
        lock.magic = LOCK_MAGIC;
        lock.owner = null;
        lock.name = name;
        lock.lockPoint = Kshim.label(PointKind.MUTEX_LOCK, "mutex_lock(" + name + ")");
        lock.unlockPoint = Kshim.label(PointKind.MUTEX_UNLOCK, "mutex_unlock(" + name + ")");
        lock.waitLabel = Kshim.label(WaitKind.LOCK, "mutex_lock(" + name + ")");
    }

    public static int __devm_mutex_init(Kdev.Device dev, Mutex lock, String name) {
        __mutex_init(lock, name);
        return 0;
    }

    public static void mutex_lock(Mutex lock) {
        if (lock_poisoned(lock, "mutex_lock")) return;
        Kshim.might_sleep("mutex_lock");
        Kshim.Ctx cur = Kshim.cur();
        if (cur != null && lock.owner == cur) {
            Kshim.finding_at(KernelReport.Kind.DEADLOCK, "mutex_lock", String.format(
                    "possible recursive locking detected: %s acquires mutex %s it already holds", cur.name, lock.name));
            return;
        }
        Kshim.point(lock.lockPoint, lock, 0);
        lock_word_acquire(lock.state, lock.waitLabel);
        lock.owner = Kshim.cur();
    }

    public static int mutex_trylock(Mutex lock) {
        Kshim.point(Kshim.label(PointKind.MUTEX_LOCK, "mutex_trylock(" + lock.name + ")"), lock, 0);
        if (lock.state.value != 0) return 0;
        lock.state.value = 1;
        lock.owner = Kshim.cur();
        return 1;
    }

    public static void mutex_unlock(Mutex lock) {
        if (lock_poisoned(lock, "mutex_unlock")) return;
        Kshim.Ctx cur = Kshim.cur();
        if (lock.owner != cur)
            Kshim.finding_at(KernelReport.Kind.WARN, "mutex_unlock", String.format(
                    "WARNING: %s unlocks mutex %s it does not hold", name(cur), lock.name));
        Kshim.point(lock.unlockPoint, lock, 0);
        lock.owner = null;
        lock_word_release(lock.state);
    }

    public static boolean mutex_is_locked(Mutex lock) {
        return lock.state.value != 0;
    }

    public static void mutex_destroy(Mutex lock) {
        if (mutex_is_locked(lock))
            Kshim.finding(KernelReport.Kind.WARN, "mutex_destroy", "WARNING: mutex " + lock.name + " destroyed while locked");
    }

    /** lockdep_assert_held(lock): expr is the C expression's text. */
    public static void lockdep_assert_held(Mutex lock, String expr) {
        if (lock.owner != Kshim.cur())
            Kshim.finding_at(KernelReport.Kind.WARN, "lockdep_assert_held", String.format(
                    "WARNING: lockdep_assert_held(%s) fails in %s", expr, name(Kshim.cur())));
    }

    /** guard(mutex)(&lock) / scoped_guard(mutex, &lock): body runs with the lock held. */
    public static void guard(Mutex lock, Runnable body) {
        mutex_lock(lock);
        try {
            body.run();
        } finally {
            mutex_unlock(lock);
        }
    }

    public static void __spin_lock_init(Spinlock lock, String name) {
        lock.state.value = 0;
        lock.magic = LOCK_MAGIC;
        lock.owner = null;
        lock.name = name;
        lock.lockPoint = Kshim.label(PointKind.SPIN_LOCK, "spin_lock(" + name + ")");
        lock.unlockPoint = Kshim.label(PointKind.SPIN_UNLOCK, "spin_unlock(" + name + ")");
        lock.waitLabel = Kshim.label(WaitKind.LOCK, "spin_lock(" + name + ")");
    }

    public static void spin_lock(Spinlock lock) {
        if (lock_poisoned(lock, "spin_lock")) return;
        Kshim.Ctx cur = Kshim.cur();
        if (cur != null && lock.owner == cur) {
            Kshim.finding_at(KernelReport.Kind.DEADLOCK, "spin_lock", String.format(
                    "BUG: spinlock recursion: %s acquires spinlock %s it already holds", cur.name, lock.name));
            return;
        }
        Kshim.point(lock.lockPoint, lock, 0);
        lock_word_acquire(lock.state, lock.waitLabel);
        lock.owner = Kshim.cur();
        Kshim.atomic_enter();
    }

    public static void spin_unlock(Spinlock lock) {
        if (lock_poisoned(lock, "spin_unlock")) return;
        Kshim.Ctx cur = Kshim.cur();
        if (lock.owner != cur)
            Kshim.finding_at(KernelReport.Kind.WARN, "spin_unlock", String.format(
                    "BUG: spinlock wrong CPU: %s unlocks spinlock %s it does not hold", name(cur), lock.name));
        Kshim.point(lock.unlockPoint, lock, 0);
        lock.owner = null;
        lock_word_release(lock.state);
        Kshim.atomic_exit();
    }

    /** spin_lock_irqsave: the flags mean nothing in userspace. */
    public static void spin_lock_irqsave(Spinlock lock) {
        spin_lock(lock);
    }

    public static void spin_unlock_irqrestore(Spinlock lock) {
        spin_unlock(lock);
    }

    public static boolean spin_is_locked(Spinlock lock) {
        return lock.state.value != 0;
    }

    /** lockdep_assert_held_spin(lock) */
    public static void lockdep_assert_held_spin(Spinlock lock, String expr) {
        if (lock.owner != Kshim.cur())
            Kshim.finding_at(KernelReport.Kind.WARN, "lockdep_assert_held", String.format(
                    "WARNING: lockdep_assert_held(%s) fails in %s", expr, name(Kshim.cur())));
    }

    // ---------------------------------------------------------------- refcount_t and kref

    public static final int REFCOUNT_SATURATED = Integer.MIN_VALUE / 2;

    /** refcount_t; kref is one (struct kref { refcount_t refcount; }). */
    public static final class Kref {
        public int refs;

        void poison() {
            refs = Kshim.POISON_U32;
        }
    }

    private static boolean refcount_poisoned(Kref r, String op) {
        if (Kshim.poisoned_u32(r.refs)) {
            Kshim.finding_at(KernelReport.Kind.UAF, op, "BUG: use-after-free: " + op + " on a freed object");
            return true;
        }
        return false;
    }

    public static void refcount_set(Kref r, int n) {
        r.refs = n;
    }

    public static int refcount_read(Kref r) {
        if (refcount_poisoned(r, "refcount_read")) return 0;
        return r.refs;
    }

    public static void refcount_inc(Kref r) {
        if (refcount_poisoned(r, "refcount_inc")) return;
        int old = r.refs++;
        if (old == 0) {
            Kshim.finding(KernelReport.Kind.REFCOUNT, "refcount_inc", "refcount_t: addition on 0; use-after-free");
            refcount_set(r, REFCOUNT_SATURATED);
        } else if (old < 0 || old + 1 < 0) {
            // saturated (or overflowing): stays saturated, and says so, as refcount_warn_saturate()
            Kshim.finding(KernelReport.Kind.REFCOUNT, "refcount_inc", "refcount_t: saturated; leaking memory");
            refcount_set(r, REFCOUNT_SATURATED);
        }
    }

    public static boolean refcount_inc_not_zero(Kref r) {
        if (refcount_poisoned(r, "refcount_inc_not_zero")) return false;
        if (r.refs == 0) return false;
        int old = r.refs++;
        if (old < 0 || old + 1 < 0) {
            Kshim.finding(KernelReport.Kind.REFCOUNT, "refcount_inc_not_zero", "refcount_t: saturated; leaking memory");
            refcount_set(r, REFCOUNT_SATURATED);
        }
        return true;
    }

    public static boolean refcount_dec_and_test(Kref r) {
        if (refcount_poisoned(r, "refcount_dec_and_test")) return false;
        int old = r.refs--;
        if (old == 1) return true;
        if (old <= 0) {
            Kshim.finding(KernelReport.Kind.REFCOUNT, "refcount_dec_and_test", "refcount_t: underflow; use-after-free");
            refcount_set(r, REFCOUNT_SATURATED);
        }
        return false;
    }

    public static void kref_init(Kref k) {
        refcount_set(k, 1);
    }

    public static int kref_read(Kref k) {
        return refcount_read(k);
    }

    public static void kref_get(Kref k) {
        refcount_inc(k);
    }

    public static boolean kref_put(Kref k, Runnable release) {
        if (refcount_dec_and_test(k)) {
            release.run();
            return true;
        }
        return false;
    }

    public static boolean kref_get_unless_zero(Kref k) {
        return refcount_inc_not_zero(k);
    }

    /** A release function of a kref (container_of is the caller's). */
    public interface Release extends Consumer<Kref> {}
}
