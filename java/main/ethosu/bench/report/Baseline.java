// The reviewed baseline of known findings (baseline/known-findings.txt): each entry names the
// variants it applies to, the check, a pattern of the finding's text, a replayable schedule and
// the explanation. A finding no entry matches is new, and fails the run.
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
    public record Entry(String id, List<String> variants, Finding.Check check, Pattern match, String schedule,
                        String scenario, String about, String sanitizer) {
        public boolean matches(String variant, Finding f) {
            if ((check != null && f.check() != check) || !match.matcher(f.text()).find()) return false;
            for (String v : variants)
                if (FileSystems.getDefault().getPathMatcher("glob:" + v).matches(Path.of(variant))) return true;
            return false;
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
    private static final java.util.Set<String> ONCE = java.util.Set.of("variants", "check", "match", "schedule", "scenario", "sanitizer");

    /** Errors name the file, the line and what was expected. */
    public static Baseline parse(String file, String text) {
        List<Entry> out = new ArrayList<>();
        String id = null, schedule = null, scenario = null, sanitizer = null;
        List<String> variants = null;
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
                        if (!checkSet || match == null || variants == null)
                            throw new BadInputException(file + ":" + start + ": entry " + id
                                    + ": expected 'variants', 'check' and 'match' lines");
                        out.add(new Entry(id, variants, check, match, schedule, scenario, about.toString().strip(), sanitizer));
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
                        throw new BadInputException(file + ":" + n + ": expected a check name such as "
                                + "USE_AFTER_FREE or COMPLETION_REPORTED, got '" + rest + "'");
                    }
                }
                case "match" -> {
                    try {
                        match = Pattern.compile(rest);
                    } catch (PatternSyntaxException e) {
                        throw new BadInputException(file + ":" + n + ": expected a regular expression: " + e.getDescription());
                    }
                }
                case "schedule" -> schedule = rest;
                case "scenario" -> scenario = rest;
                case "sanitizer" -> {
                    if (!rest.equals("address") && !rest.equals("undefined"))
                        throw new BadInputException(file, n, "expected 'sanitizer address' or 'sanitizer undefined', got '" + rest + "'");
                    sanitizer = rest;
                }
                case "about" -> about.append(rest).append(' ');
                default -> throw new BadInputException(file + ":" + n
                        + ": expected known, variants, check, match, scenario, schedule, sanitizer or about; got '" + w[0] + "'");
            }
        }
        return new Baseline(out);
    }
}
