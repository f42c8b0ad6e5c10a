// An AddressSanitizer report raised inside a run (SANITIZE=address libraries): the head of the
// runtime's text, which check.SanitizerReport words as KASAN would.
package ethosu.bench.event;

/** @param job the job in whose run_job it happened, 0 if none */
public record Sanitizer(int ctx, long job, String report) implements Event {}
