// The worker processes every command runs the driver in (run, check, explore, replay, stress, bench):
// one mechanism for all. A task goes down the typed protocol; when the worker dies inside it (a native
// crash, an abort, a fatal sanitizer report), the death is a finding with the schedule its flight
// recorder kept, its signal and C frames, and the worker is replaced; a worker that stopped a stuck
// context retires and is replaced too. What crashes leave behind (flight records, JVM error logs,
// sanitizer logs, resume records) lives in a scratch directory removed at the end.
package ethosu.bench.cli;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.check.SanitizerReport;
import ethosu.bench.control.FlightRecorder;
import ethosu.bench.kernel.Watchdog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

final class Workers implements AutoCloseable {
    /** A task as the pool runs it: what to send, what its worker's replies mean, what its worker's death means. */
    interface Job {
        /** The message to send now (the first time, or again after its worker was replaced); null: the task is over. */
        WorkerProtocol.Message next();

        /** A reply of its worker; true when it ends the message sent. */
        boolean reply(WorkerProtocol.Message m) throws IOException;

        /** Its worker died inside it. */
        void died(Death d);

        /** The library its worker runs, for the crash's C frames; null if unknown. */
        default Path library() {
            return null;
        }
    }

    /**
     * A job of one message for one variant's library (a stress run, a replay, a soak): sent once; a
     * worker that dies inside it is not given it again.
     */
    abstract static class OneShot implements Job {
        private final WorkerProtocol.Message message;
        private final String variant;
        private boolean sent;

        OneShot(WorkerProtocol.Message message, String variant) {
            this.message = message;
            this.variant = variant;
        }

        @Override
        public final WorkerProtocol.Message next() {
            if (sent) return null;
            sent = true;
            return message;
        }

        @Override
        public Path library() {
            return EthosuLibrary.buildDir().resolve(variant).resolve("libethosu.so").toAbsolutePath();
        }
    }

    /**
     * How a worker died inside a job.
     *
     * @param record  its flight recorder: the schedule in progress ("schedule N" header) and its
     *                decisions; header "none" if no schedule was running
     * @param resume  the used part of that record, for a resumed exploration to rebuild its path
     * @param crash   the signal and C frames (hs_err), or null when a sanitizer's report ended it
     * @param fatal   the sanitizer report's finding that ended it, or null
     * @param evidence the JVM error log or sanitizer log, or null: a job keeps it beside its finding
     *                ({@link #keepEvidence}, the first death of each kind), else it is removed
     */
    record Death(FlightRecorder.Contents record, Path resume, Crash crash, Finding fatal, Path evidence) {
        /** The schedule index the record names, or -1 when the worker died outside any schedule. */
        long schedule() {
            String h = record.header();
            try {
                return h.startsWith("schedule ") ? Long.parseLong(h.substring(9).trim()) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** It died in a run that only laid out the points of its part of a bounded search (Explorer). */
        boolean layout() {
            return record.header().startsWith(FlightRecorder.LAYOUT);
        }

        /** The finding it is, the schedule index written into its text (crashes; a sanitizer's has its own). */
        Finding finding(long index) {
            return fatal != null ? fatal : crash.finding(index);
        }

        /** As above, for a death outside any schedule (free-running), said where. */
        Finding finding(String where) {
            return fatal != null ? fatal : crash.finding(where);
        }
    }

    private final Path scratch;
    private final int count;
    private final int cpu;
    private final long watchdogMs;

    /** A worker claims a CPU no other exploration on the machine holds (CpuPinning.claimFree). */
    static final int CLAIM = Integer.MIN_VALUE;

    /**
     * @param count      workers (each claims a free CPU)
     * @param cpu        with one worker: the CPU to pin it to, -1 for none, CLAIM; ignored with several
     * @param watchdogMs the workers' watchdog budget (Watchdog)
     */
    Workers(int count, int cpu, long watchdogMs) {
        this.count = Math.max(1, count);
        this.cpu = cpu;
        this.watchdogMs = watchdogMs;
        this.scratch = scratchDir();
    }

    /** Runs the jobs on the workers (each takes the next job when it is free); returns when all are over. */
    void run(List<? extends Job> jobs) throws InterruptedException {
        run(jobs, () -> {});
    }

    /** As run(jobs), calling tick about five times a second while they go (a progress line). */
    void run(List<? extends Job> jobs, Runnable tick) throws InterruptedException {
        ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>(jobs);
        List<Thread> drivers = new ArrayList<>();
        for (int w = 0; w < Math.min(count, Math.max(1, jobs.size())); w++) {
            final int idx = w;
            drivers.add(Thread.ofPlatform().name("worker-driver-" + w).start(() -> drive(idx, queue)));
        }
        for (Thread t : drivers) {
            while (t.isAlive()) {
                t.join(200);
                tick.run();
            }
        }
    }

    /** Feeds one worker process; replaces it when it dies or retires. */
    private void drive(int idx, ConcurrentLinkedQueue<Job> queue) {
        Path rec = scratch.resolve("flight-" + idx + ".rec");
        Job job = null;
        WorkerProtocol.Message msg = null;
        while (true) {
            if (msg == null) {
                for (job = queue.poll(); job != null && (msg = job.next()) == null; job = queue.poll()) {}
                if (job == null) return;
            }
            Process p;
            try {
                Files.deleteIfExists(rec);
                p = start(idx);
            } catch (IOException e) {
                job.died(new Death(new FlightRecorder.Contents("none", List.of()), null,
                        new Crash("cannot start a worker: " + e.getMessage(), "", "", List.of()), null, null));
                msg = null;
                continue;
            }
            Boolean goesOn = null;
            try {
                WorkerProtocol.Writer to = new WorkerProtocol.Writer(p.getOutputStream());
                WorkerProtocol.Reader from = new WorkerProtocol.Reader(p.getInputStream());
                do {
                    to.send(msg);
                    goesOn = follow(job, from);
                    if (goesOn == null) break; // it died inside the job
                    msg = job.next();
                    if (msg == null)
                        for (job = queue.poll(); job != null && (msg = job.next()) == null; job = queue.poll()) {}
                } while (msg != null && goesOn);
            } catch (IOException e) {
                goesOn = null; // it died or spoke nonsense
            }
            if (goesOn != null) {
                // the jobs are over, or it retired (a context of the driver is stopped inside it)
                end(p);
                removeLeftovers(p.pid());
                if (msg == null) return;
                continue;
            }
            // the worker died inside job: its flight recorder holds the schedule that did it
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Death d = death(p, idx, rec, job.library());
            job.died(d);
            removeLeftovers(p.pid());
            try {
                if (d.evidence() != null) Files.deleteIfExists(d.evidence());
            } catch (IOException e) {
                // the scratch directory goes at close
            }
            msg = job.next();
        }
    }

    /**
     * Takes a worker's replies for job until the message is over: true when the worker goes on,
     * false when it retires after it, null if it died first.
     */
    private static Boolean follow(Job job, WorkerProtocol.Reader from) throws IOException {
        boolean retire = false;
        for (WorkerProtocol.Message m; (m = from.next()) != null; ) {
            if (m instanceof WorkerProtocol.Retire) {
                retire = true;
                continue;
            }
            if (job.reply(m)) return !retire;
        }
        return null;
    }

    private Process start(int idx) throws IOException {
        String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(jvm, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:ErrorFile=" + scratch.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash",
                "-Dethosu.build=" + EthosuLibrary.buildDir().toAbsolutePath(),
                "-D" + Watchdog.PROPERTY + "=" + watchdogMs));
        // the bench's other settings (ethosu.*) reach the workers as they are
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("ethosu.") && !key.equals("ethosu.build") && !key.equals(Watchdog.PROPERTY))
                cmd.add("-D" + key + "=" + v);
        });
        int pin = count == 1 ? cpu : CLAIM;
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName(), Integer.toString(idx),
                scratch.toString(), Integer.toString(pin)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Closes a worker's input (it exits when it reads the end) and waits for it, killing it if it lingers. */
    private static void end(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** What a dead worker left: its record, its crash or fatal sanitizer report. */
    private Death death(Process p, int idx, Path rec, Path library) {
        FlightRecorder.Contents c;
        // one per worker slot: read by the next worker of the slot, before it can die in turn
        Path resume = scratch.resolve("resume-" + idx + ".rec");
        try {
            c = FlightRecorder.read(rec);
            FlightRecorder.copyUsed(rec, resume);
        } catch (IOException e) {
            c = new FlightRecorder.Contents("none", List.of());
            resume = null;
        }
        Path hsErr = scratch.resolve("hs_err_" + p.pid() + ".log");
        Path sanLog = SanitizerReport.logFile(System.getenv(), p.pid());
        Finding fatal = Verdicts.sanitizerFinding(sanLog);
        Crash crash = fatal != null ? null : Crash.of(hsErr, p.exitValue(), library);
        Path evidence = fatal != null ? sanLog : hsErr;
        if (evidence != null && !Files.isRegularFile(evidence)) evidence = null;
        return new Death(c, resume, crash, fatal, evidence);
    }

    /** A worker's JVM error log and sanitizer log: read by now, or never needed. */
    private void removeLeftovers(long pid) {
        try {
            Files.deleteIfExists(scratch.resolve("hs_err_" + pid + ".log"));
            Path san = SanitizerReport.logFile(System.getenv(), pid);
            if (san != null) Files.deleteIfExists(san);
        } catch (IOException e) {
            // the scratch directory goes at close
        }
    }

    /** Removes the scratch directory: flight records, resume records, logs. */
    @Override
    public void close() {
        deleteTree(scratch);
    }

    /**
     * This session's scratch directory, under the system's temporary directory, named after this
     * process; those of sessions whose process is gone (killed) are removed first.
     */
    private static Path scratchDir() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(tmp)) {
            s.filter(d -> d.getFileName().toString().startsWith("ethosu-bench-workers-")).forEach(d -> {
                String pid = d.getFileName().toString().substring("ethosu-bench-workers-".length()).split("-")[0];
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) deleteTree(d);
                } catch (NumberFormatException e) {
                    // not ours
                }
            });
        } catch (IOException e) {
            // nothing to clean
        }
        sweepRegisterFiles(Path.of("/dev/shm"), tmp);
        try {
            return Files.createTempDirectory(tmp, "ethosu-bench-workers-" + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Register files left by a process that died before it unlinked them are this old at least. */
    static final java.time.Duration ORPHAN_AGE = java.time.Duration.ofMinutes(10);

    /**
     * Removes the register files (ethosu-regs-*) of processes gone: those no live process has open
     * or mapped, older than ORPHAN_AGE (a file this young may be between its creation and its
     * mapping). Today's library unlinks its file once mapped, so these are left by killed JVMs of
     * the Java register file, or by older builds. Returns how many went.
     */
    static int sweepRegisterFiles(Path... dirs) {
        java.util.Set<String> held = null;
        int removed = 0;
        // held stays null until a candidate needs it; filesHeld() answers null without /proc
        long cutoff = System.currentTimeMillis() - ORPHAN_AGE.toMillis();
        for (Path dir : dirs) {
            List<Path> old;
            try (Stream<Path> s = Files.list(dir)) {
                old = s.filter(p -> p.getFileName().toString().startsWith("ethosu-regs-")).filter(p -> {
                    try {
                        return Files.isRegularFile(p) && Files.getLastModifiedTime(p).toMillis() < cutoff;
                    } catch (IOException e) {
                        return false;
                    }
                }).toList();
            } catch (IOException e) {
                continue;
            }
            if (old.isEmpty()) continue;
            if (held == null) held = filesHeld();
            if (held == null) return removed;
            for (Path p : old) {
                if (held.contains(p.toAbsolutePath().toString())) continue;
                try {
                    if (Files.deleteIfExists(p)) removed++;
                } catch (IOException e) {
                    // another user's, or gone meanwhile
                }
            }
        }
        return removed;
    }

    /**
     * Every file some process has open or mapped, as /proc shows them (a process it may not read is
     * not seen: the files are one user's, in one user's directory), or null without /proc.
     */
    private static java.util.Set<String> filesHeld() {
        java.util.Set<String> held = new java.util.HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try (Stream<String> maps = Files.lines(p.resolve("maps"))) {
                    maps.forEach(l -> {
                        int i = l.indexOf('/');
                        if (i >= 0) held.add(l.substring(i).replace(" (deleted)", ""));
                    });
                } catch (IOException | java.io.UncheckedIOException e) {
                    // gone, or not ours to read
                }
                try (Stream<Path> fds = Files.list(p.resolve("fd"))) {
                    fds.forEach(fd -> {
                        try {
                            held.add(Files.readSymbolicLink(fd).toString());
                        } catch (IOException e) {
                            // closed meanwhile
                        }
                    });
                } catch (IOException | java.io.UncheckedIOException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc: which files are held is unknown, so none is removed
            return null;
        }
        return held;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    /** Keeps a dead worker's log beside its finding's schedule (the first death of each kind). */
    static Path keepEvidence(Death d, Path schedule) {
        if (d.evidence() == null || schedule == null) return null;
        Path to = Path.of(schedule.toString().replaceAll("\\.schedule$", "") + (d.fatal() != null ? ".sanitizer.log" : ".hs_err.log"));
        try {
            Files.move(d.evidence(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            return null;
        }
    }

    /** Text of a file, or "" (a report a worker wrote). */
    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
