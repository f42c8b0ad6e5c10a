// A session's result as JUnit XML, the format kernel CI systems (and Jenkins, GitLab) show: one file
// per variant, one test case per scenario, failed by a finding outside the baseline, and one per
// scenario of the differential pass, failed by a divergence; the queries' answers and the known
// findings in the suite's output.
package ethosu.bench.cli;

import ethosu.bench.report.SessionResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class JUnitXml {
    private JUnitXml() {}

    /** Writes dir/TEST-ethosu-bench.VARIANT.xml for every variant; returns the files. */
    static List<Path> write(Path dir, SessionResult r) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (String v : r.plan().variants()) {
            Path p = dir.resolve("TEST-ethosu-bench." + v.replaceAll("[^A-Za-z0-9_.+-]", "_") + ".xml");
            Files.writeString(p, suite(r, v));
            out.add(p);
        }
        return out;
    }

    static String suite(SessionResult r, String variant) {
        StringBuilder cases = new StringBuilder();
        int tests = 0, failures = 0;
        double total = 0;
        for (String sc : r.plan().scenarios()) {
            long schedules = 0;
            double secs = 0;
            Map<String, SessionResult.Found> found = new LinkedHashMap<>();
            List<String> plan = new ArrayList<>();
            for (SessionResult.Task t : r.tasks()) {
                if (!t.variant().equals(variant) || !t.scenario().equals(sc)) continue;
                schedules += t.schedules();
                secs += t.seconds();
                plan.add(t.strategy() + ": " + t.schedules() + " schedules" + (t.bound() == null ? ""
                        : t.exhausted() ? ", bound exhausted" : ", bound not exhausted")
                        + (t.problem() == null ? "" : ", stopped early: " + t.problem()));
                for (SessionResult.Found f : t.findings()) found.putIfAbsent(f.identity(), f);
            }
            tests++;
            total += secs;
            List<SessionResult.Found> fresh = found.values().stream().filter(f -> f.known() == null).toList();
            cases.append("  <testcase classname=\"ethosu-bench.").append(esc(variant)).append("\" name=\"")
                    .append(esc(sc)).append("\" time=\"").append(String.format("%.3f", secs)).append("\">\n");
            if (!fresh.isEmpty()) {
                failures++;
                StringBuilder body = new StringBuilder();
                for (SessionResult.Found f : fresh)
                    body.append('[').append(f.title()).append("] ").append(f.text()).append("\nschedule: ")
                            .append(f.schedule()).append("\n\n").append(f.report() == null ? "" : f.report()).append('\n');
                cases.append("    <failure message=\"").append(fresh.size()).append(" finding(s) outside the baseline, first: ")
                        .append(esc(fresh.get(0).text())).append("\" type=\"").append(esc(fresh.get(0).check())).append("\">")
                        .append(esc(body.toString())).append("</failure>\n");
            }
            StringBuilder outText = new StringBuilder(schedules + " schedules: " + String.join("; ", plan) + "\n");
            for (SessionResult.Found f : found.values())
                if (f.known() != null) outText.append("known (").append(f.known()).append("): [").append(f.title())
                        .append("] ").append(f.text()).append('\n');
            cases.append("    <system-out>").append(esc(outText.toString())).append("</system-out>\n");
            cases.append("  </testcase>\n");
        }
        for (SessionResult.Compared c : r.differential()) {
            if (!c.variant().equals(variant)) continue;
            tests++;
            total += c.seconds();
            cases.append("  <testcase classname=\"ethosu-bench.").append(esc(variant)).append(".differential\" name=\"")
                    .append(esc(c.scenario())).append("\" time=\"").append(String.format("%.3f", c.seconds())).append("\">\n");
            if (c.divergences() > 0 || c.schedules() == 0) {
                failures++;
                String message = c.schedules() == 0 ? "nothing compared" + (c.problem() == null ? "" : ": " + c.problem())
                        : c.divergences() + " of " + c.schedules() + " schedules diverge"
                        + (c.first().isEmpty() ? "" : ", first at step " + c.first().get(0).step() + ": " + c.first().get(0).what());
                StringBuilder body = new StringBuilder();
                for (SessionResult.Divergence d : c.first())
                    body.append(d.report() == null ? d.what() + "\nschedule: " + d.schedule() + "\n" : d.report()).append('\n');
                cases.append("    <failure message=\"").append(esc(message)).append("\" type=\"divergence\">")
                        .append(esc(body.toString())).append("</failure>\n");
            }
            cases.append("    <system-out>").append(esc(c.schedules() + " schedules (" + c.strategy() + (c.exhausted()
                    ? ", bound exhausted" : ", bound not exhausted") + ") on the C and on the model of " + c.model() + "\n"))
                    .append("</system-out>\n  </testcase>\n");
        }
        StringBuilder answers = new StringBuilder();
        for (SessionResult.Answer a : r.answers())
            if (a.variant().equals(variant)) answers.append(a.query()).append(": ").append(a.line()).append('\n');
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"ethosu-bench." + esc(variant)
                + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"0\" time=\""
                + String.format("%.3f", total) + "\">\n" + cases
                + "  <system-out>" + esc(answers.toString()) + "</system-out>\n</testsuite>\n";
    }

    /** XML text and attribute escaping; characters XML 1.0 cannot carry become '?'. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? '?' : c);
            }
        }
        return sb.toString();
    }
}
