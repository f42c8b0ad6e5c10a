// What a process holds at one moment, as a soak measures it: resident memory, open files, memory
// mappings, threads, and the bench's files in /dev/shm and the temporary directory. Flat over a
// long run means nothing leaks per device or per job.
package ethosu.bench.stress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * @param rssKiB   resident memory (VmRSS)
 * @param heapKiB  the Java heap's live objects after a full collection (a leak of Java objects grows it)
 * @param heapCommittedKiB the heap the JVM holds from the system (RSS beyond it is native memory)
 * @param fds      open file descriptors
 * @param maps     memory mappings
 * @param threads  threads
 * @param shmFiles entries of /dev/shm named ethosu*
 * @param tmpFiles entries of the temporary directory named ethosu*
 */
public record ProcessSample(long rssKiB, long heapKiB, long heapCommittedKiB, int fds, int maps, int threads,
                            int shmFiles, int tmpFiles)
        implements java.io.Serializable {
    /** This process, now (after a full collection, so that the heap figure is what is live). */
    public static ProcessSample now() {
        java.lang.Runtime rt = java.lang.Runtime.getRuntime();
        System.gc();
        long heap = (rt.totalMemory() - rt.freeMemory()) / 1024, committed = rt.totalMemory() / 1024;
        long rss = 0;
        int threads = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
                if (l.startsWith("Threads:")) threads = Integer.parseInt(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // left at 0: not Linux, or /proc not mounted
        }
        return new ProcessSample(rss, heap, committed, count(Path.of("/proc/self/fd"), ""), lines(Path.of("/proc/self/maps")), threads,
                count(Path.of("/dev/shm"), "ethosu"), count(Path.of(System.getProperty("java.io.tmpdir")), "ethosu"));
    }

    private static int count(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int lines(Path file) {
        try (Stream<String> s = Files.lines(file)) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
