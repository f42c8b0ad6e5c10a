// Bad queries give one line: where (file, line, column) and what was expected, on the command line
// and in scenario files alike.
package ethosu.bench.query;

import ethosu.bench.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class QueryParserTest {
    static String error(String q) {
        return assertThrows(QueryParser.QueryFormatException.class, () -> Query.parse(q)).getMessage();
    }

    @Test
    void commandLineErrorsNameTheColumnAndWhatWasExpected() {
        assertEquals("the command line, column 1: expected a callback (run_job, timedout_job, free_job, cancel_job, "
                + "irq_handler, irq_thread, runtime_resume, runtime_suspend, reset, work(F), hold(LOCK)) or an event "
                + "(start(..), return(..), signal(JOB.ROLE), readl(REG), writel(REG), READ_ONCE(FIELD), WRITE_ONCE(FIELD), "
                + "lock(L), unlock(L), report, \"label\"), got 'run_jobs'", error("run_jobs(B)"));
        assertEquals("the command line, column 12: expected 'during', 'within', 'overlaps', 'between' or the end of "
                + "the query, got 'while'", error("run_job(B) while timedout_job(A)"));
        assertTrue(error("run_job(B) during").startsWith("the command line, column 18: expected a callback after 'during'"),
                error("run_job(B) during"));
        assertTrue(error("run_job(B").contains("expected ')'"), error("run_job(B"));
        assertTrue(error("run_job between signal(A.done) and return(irq_thread)")
                .startsWith("the command line, column 26: expected a fence role (done_fence, hw_fence, finished, scheduled)"),
                error("run_job between signal(A.done) and return(irq_thread)"));
        assertTrue(error("run_job between signal(A.done_fence) return(irq_thread)")
                .contains("expected 'and' after the first event of 'between'"));
        assertTrue(error("readl(STATUS) overlaps reset").contains("'overlaps' relates two callbacks"));
        assertTrue(error("never").contains("expected a callback"), error("never"));
        assertTrue(error("work during reset").contains("expected '(' and a work item's function"), error("work during reset"));
    }

    @Test
    void scenarioFileQueriesAreReadWithTheirScenario() {
        var scs = ScenarioParser.parse("q.txt", """
                scenario s
                  client
                    submit A complete
                    submit B complete
                  witness run_job(B) during timedout_job(A)   # a comment
                  never hold(job_lock) during hold(job_lock)
                """);
        List<Query> qs = scs.get(0).queries();
        assertEquals(2, qs.size());
        assertEquals("witness run_job(B) during timedout_job(A)", qs.get(0).text());
        assertEquals("s:1", qs.get(0).name());
        assertEquals("q.txt:5", qs.get(0).source());
        assertTrue(qs.get(1).isNever());
    }

    @Test
    void scenarioFileErrorsNameFileLineAndColumn() {
        var e = assertThrows(ScenarioParser.ScenarioFormatException.class, () -> ScenarioParser.parse("q.txt", """
                scenario s
                  client
                    submit A complete
                  witness run_job(B) durin timedout_job(A)
                """));
        assertEquals("q.txt:4: column 22: expected 'during', 'within', 'overlaps', 'between' or the end of the query, "
                + "got 'durin'", e.getMessage());
    }
}
