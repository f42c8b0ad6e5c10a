// Pins the calling thread (and the threads it creates from then on) to one CPU.
package ethosu.bench.cli;

public final class WorkerPin {
    private WorkerPin() {}

    public static void pin(int cpu) {
        Worker.pin(cpu);
    }
}
