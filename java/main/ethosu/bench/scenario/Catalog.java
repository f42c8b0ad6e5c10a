// The built-in scenarios (scenarios.txt next to this class, in the documented text format), and
// loading more from files.
package ethosu.bench.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import ethosu.bench.input.BadInputException;
import ethosu.bench.input.TextFile;

public final class Catalog {
    private static final List<Scenario> BUILT_IN = load();

    private Catalog() {}

    private static List<Scenario> load() {
        try (InputStream in = Catalog.class.getResourceAsStream("scenarios.txt")) {
            if (in == null) throw new IllegalStateException("scenarios.txt missing from the classpath: rebuild");
            return ScenarioParser.parse("scenarios.txt", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Scenario> builtIn() {
        return BUILT_IN;
    }

    /** A built-in scenario by name; an unknown name is bad input naming the ones there are. */
    public static Scenario get(String name) {
        return BUILT_IN.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new BadInputException("--scenario '" + name + "': no built-in scenario of that name, expected one of "
                        + String.join(", ", BUILT_IN.stream().map(Scenario::name).toList())
                        + " (or a scenario of --scenario-file)"));
    }

    public static List<Scenario> fromFile(Path p) {
        return ScenarioParser.parse(p.toString(), TextFile.read(p, "a scenario file (docs/SCENARIOS.md)"));
    }
}
