// The three claims the job_lock removal rests on (the case in README, "What it is"), as built-in
// queries: `run` answers each on every variant, with a witness schedule or the bound it holds to.
package ethosu.bench.query;

import java.util.List;

public final class Claims {
    private Claims() {}

    /** A built-in query: its name, the claim in a reviewer's words, and the query that answers it. */
    public record Claim(String name, String about, Query query) {}

    private static Claim claim(String name, String about, String text) {
        return new Claim(name, about, QueryParser.parse(text, "built in", 0, name));
    }

    /** In the order the patch argues them. */
    public static final List<Claim> SEED = List.of(
            claim("claim-1", "the scheduler never runs run_job and timedout_job at the same time",
                    "never run_job during timedout_job"),
            claim("claim-2", "signalling the hardware fence lets run_job of the next job start before the IRQ thread returns",
                    "witness run_job between signal(done_fence) and return(irq_thread)"),
            claim("claim-3", "the IRQ thread and timedout_job can run at the same time when a job completes near its timeout",
                    "witness irq_thread overlaps timedout_job"));

    public static Claim get(String name) {
        for (Claim c : SEED) if (c.name().equals(name)) return c;
        throw new ethosu.bench.input.BadInputException("no built-in claim '" + name + "': expected one of claim-1, claim-2, claim-3");
    }
}
