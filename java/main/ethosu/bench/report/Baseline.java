// The reviewed baseline of known findings (baseline/known-findings.txt): each entry says what a finding
// is (the check, a pattern of its text, the functions it happens in), where a schedule reproduces it,
// and why; a few are scoped to variants by name (a mutant's planted bug). A finding no entry matches
// is new, and fails the run.
package ethosu.bench.report;

import ethosu.bench.check.Finding;
import ethosu.bench.input.BadInputException;
import ethosu.bench.input.TextFile;

import java.nio.file.Path;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public final class Baseline {
    /** check null: any check (a mutant's planted bug may show through several). */
    /**
     * sanitizer: null, or the sanitizer ("address", "undefined") a library must be built with
     * for the finding to show (make asan).
     */
    /**
     * variants: null for any variant (an entry matches by what the finding is, so a kernel tree or a
     * patch of the same code, whatever its name, matches it), else globs of the variant names it is
     * limited to. in: the functions the finding must have happened in (all of them; Finding.where), or
     * empty for anywhere. after: empty, or the entries one of whose findings the same run must have
     * reported first (a follow-on, known by its cause: a deadlock left by a lock the cause corrupted).
     * change: null for the driver's own findings, else the change that brings it ("lockless": the
     * job_lock removal); it does not limit matching, it says whose the finding is.
     */
    public record Entry(String id, List<String> variants, Finding.Check check, Pattern match, List<String> in,
                        List<Entry> after, String change, String schedule, String scenario, String about,
                        String sanitizer) {
        public boolean matches(String variant, Finding f) {
            if ((check != null && f.check() != check) || !match.matcher(f.text()).find()) return false;
            if (!f.where().containsAll(in)) return false;
            if (!after.isEmpty() && f.earlier().stream().noneMatch(x -> after.stream().anyMatch(a -> a.matchesEarlier(x))))
                return false;
            if (variants == null) return true;
            for (String v : variants)
                if (FileSystems.getDefault().getPathMatcher("glob:" + v).matches(Path.of(variant))) return true;
            return false;
        }

        /** An earlier finding of the run ("CHECK text"), by check and pattern. */
        boolean matchesEarlier(String earlier) {
            int sp = earlier.indexOf(' ');
            String c = earlier.substring(0, sp), text = earlier.substring(sp + 1);
            return (check == null || check.name().equals(c)) && match.matcher(text).find();
        }
    }

    private final List<Entry> entries;

    private Baseline(List<Entry> entries) {
        this.entries = entries;
    }

    public List<Entry> entries() {
        return entries;
    }

    public static Baseline empty() {
        return new Baseline(List.of());
    }

    /**
     * The entry of the driver's own findings (no `change`, no `variants` scope) a finding matches, or
     * null: a finding the driver as it is never produces (what catches a mutant or a patch).
     */
    public Entry matchDriver(Finding f) {
        for (Entry e : entries)
            if (e.change() == null && e.variants() == null && e.matches("", f)) return e;
        return null;
    }

    /** The entry a finding of this variant matches, or null: a new finding. */
    public Entry match(String variant, Finding f) {
        for (Entry e : entries) if (e.matches(variant, f)) return e;
        return null;
    }

    public static Baseline load(Path file) {
        return parse(file.toString(), TextFile.read(file, "a baseline file (docs/SCENARIOS.md)"));
    }

    /** Entry ids name schedule files and appear in reports: no spaces or path characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._+-]+");
    /** Keys an entry gives at most once: a second would silently replace the first. */
    private static final java.util.Set<String> ONCE = java.util.Set.of("variants", "check", "match", "in", "after", "change", "schedule",
            "scenario", "sanitizer");
    /** What an `in` line names: C functions, a driver callback's role or a work item's function. */
    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Errors name the file, the line and what was expected. */
    public static Baseline parse(String file, String text) {
        List<Entry> out = new ArrayList<>();
        String id = null, schedule = null, scenario = null, sanitizer = null, change = null;
        List<String> after = List.of();
        int afterLine = 0;
        java.util.Map<String, Entry> byId = new java.util.HashMap<>();
        List<String> variants = null, in = List.of();
        Finding.Check check = null;
        boolean checkSet = false;
        Pattern match = null;
        StringBuilder about = new StringBuilder();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>(), ids = new java.util.HashMap<>();
        String[] lines = text.split("\n", -1);
        int start = 0;
        for (int n = 1; n <= lines.length + 1; n++) {
            String l = n <= lines.length ? lines[n - 1].strip() : "known";
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] w = l.split("\\s+", 2);
            String key = w[0].toLowerCase(Locale.ROOT), rest = w.length > 1 ? w[1].strip() : "";
            if (id == null && !key.equals("known") && n <= lines.length)
                throw new BadInputException(file, n, "expected 'known <id>' first, got '" + w[0] + "'");
            if (ONCE.contains(key)) {
                Integer before = seen.putIfAbsent(key, n);
                if (before != null)
                    throw new BadInputException(file, n, "expected one '" + key + "' line in entry " + id
                            + ", got a second (the first is line " + before + ")");
                if (rest.isEmpty()) throw new BadInputException(file, n, "expected '" + key + " <value>', got nothing after it");
            }
            switch (key) {
                case "known" -> {
                    if (id != null) {
                        if (!checkSet || match == null)
                            throw new BadInputException(file, start, "entry " + id + ": expected 'check' and 'match' lines");
                        List<Entry> causes = new ArrayList<>();
                        for (String a : after) {
                            Entry cause = byId.get(a);
                            if (cause == null)
                                throw new BadInputException(file, afterLine, "expected 'after' and ids of entries above, got '"
                                        + a + "'");
                            causes.add(cause);
                        }
                        Entry e = new Entry(id, variants, check, match, in, List.copyOf(causes), change, schedule, scenario,
                                about.toString().strip(), sanitizer);
                        out.add(e);
                        byId.put(id, e);
                    }
                    if (n > lines.length) break;
                    if (!ID.matcher(rest).matches())
                        throw new BadInputException(file, n, "expected 'known <id>' with an id of letters, digits and . _ + -, got '"
                                + rest + "'");
                    Integer before = ids.putIfAbsent(rest, n);
                    if (before != null)
                        throw new BadInputException(file, n, "expected a new entry id, got '" + rest
                                + "' a second time (the first is line " + before + ")");
                    id = rest;
                    seen.clear();
                    start = n;
                    variants = null;
                    in = List.of();
                    after = List.of();
                    change = null;
                    check = null;
                    checkSet = false;
                    match = null;
                    schedule = null;
                    scenario = null;
                    sanitizer = null;
                    about = new StringBuilder();
                }
                case "variants" -> {
                    variants = List.of(rest.split("\\s+"));
                    for (String v : variants) {
                        try {
                            FileSystems.getDefault().getPathMatcher("glob:" + v);
                        } catch (IllegalArgumentException e) {
                            throw new BadInputException(file, n, "expected variant names or globs such as * or mutant-*, got '"
                                    + v + "'");
                        }
                    }
                }
                case "in" -> {
                    in = List.of(rest.split("\\s+"));
                    for (String f : in)
                        if (!FUNCTION.matcher(f).matches())
                            throw new BadInputException(file, n, "expected 'in' and function names such as irq_thread or "
                                    + "ethosu_job_timedout, got '" + f + "'");
                }
                case "after" -> {
                    after = List.of(rest.split("\\s+"));
                    afterLine = n;
                }
                case "check" -> {
                    if (rest.equals("*")) {
                        check = null;
                        checkSet = true;
                        break;
                    }
                    checkSet = true;
                    try {
                        check = Finding.Check.valueOf(rest);
                    } catch (IllegalArgumentException e) {
                        throw new BadInputException(file, n, "expected a check name such as "
                                + "USE_AFTER_FREE or COMPLETION_REPORTED, got '" + rest + "'");
                    }
                }
                case "match" -> {
                    try {
                        match = Pattern.compile(rest);
                    } catch (PatternSyntaxException e) {
                        throw new BadInputException(file, n, "expected a regular expression: " + e.getDescription());
                    }
                }
                case "change" -> {
                    if (!ID.matcher(rest).matches())
                        throw new BadInputException(file, n, "expected 'change <name>' naming the change that brings it, got '"
                                + rest + "'");
                    change = rest;
                }
                case "schedule" -> schedule = rest;
                case "scenario" -> scenario = rest;
                case "sanitizer" -> {
                    if (!rest.equals("address") && !rest.equals("undefined"))
                        throw new BadInputException(file, n, "expected 'sanitizer address' or 'sanitizer undefined', got '" + rest + "'");
                    sanitizer = rest;
                }
                case "about" -> about.append(rest).append(' ');
                default -> throw new BadInputException(file, n,
                        "expected known, check, match, in, after, change, variants, scenario, schedule, sanitizer or about; got '" + w[0] + "'");
            }
        }
        return new Baseline(out);
    }
}
