// The platform threads that carry controlled contexts, kept across runs: starting a platform thread
// costs ~50 us, and waking one only to have it wait for its first turn costs a hand-off. A context is
// given a thread when it starts; the thread sleeps until the controller first hands the context the
// baton, so a run's start costs no hand-off per context.
package ethosu.bench.control;

import java.util.ArrayList;
import java.util.List;

final class ContextThreads {
    /** What a carrier runs next: the context (its go flag says when) and its body. */
    private record Assignment(Runtime.Ctx ctx, Runnable body, String threadName) {}

    /** One reusable platform thread, with its side of the baton. */
    static final class Carrier implements Runnable {
        final Thread thread;
        final Baton.Word word = Runtime.BATON.newWord();
        /** Free for a new context: its last one has left the runtime (a context never ended keeps it). */
        private volatile boolean idle = true;
        private volatile Assignment next;
        private int pinnedGeneration = -1;

        /** Named after its first context: a new process's threads carry their contexts' names (make gdb) from the start. */
        Carrier(String threadName) {
            thread = new Thread(this, threadName);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            for (;;) {
                // the baton comes when the controller first schedules the context assigned
                Runtime.BATON.await(word);
                Assignment a = next;
                // a thread is named after its context (gdb's `info threads`); renaming costs a system call
                if (!thread.getName().equals(a.threadName())) thread.setName(a.threadName());
                int g = CpuPinning.generation();
                if (g != pinnedGeneration) {
                    CpuPinning.follow();
                    pinnedGeneration = g;
                }
                a.ctx().runtime().runContext(a.ctx(), a.body(), () -> idle = true);
            }
        }
    }

    private static final List<Carrier> CARRIERS = new ArrayList<>();

    private ContextThreads() {}

    /**
     * A carrier for ctx, which runs body once the controller first schedules it; the k-th context of
     * a run takes the k-th carrier when it is free, so threads keep their names from run to run.
     */
    static Carrier assign(int k, Runtime.Ctx ctx, Runnable body, String threadName) {
        Carrier c;
        synchronized (CARRIERS) {
            c = k < CARRIERS.size() && CARRIERS.get(k).idle ? CARRIERS.get(k) : null;
            for (int i = 0; c == null && i < CARRIERS.size(); i++)
                if (CARRIERS.get(i).idle) c = CARRIERS.get(i);
            if (c == null) {
                c = new Carrier(threadName);
                CARRIERS.add(c);
                c.thread.start();
            }
            c.idle = false;
        }
        c.next = new Assignment(ctx, body, threadName);
        return c;
    }
}
