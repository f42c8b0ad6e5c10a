// Bad input from a person: a file, a line or an option and what was expected, said in one line.
// The command line prints its message alone (no trace) and exits 2; anything else is a bench bug.
package ethosu.bench.input;

public class BadInputException extends IllegalArgumentException {
    public BadInputException(String message) {
        super(message);
    }

    /** "file:line: what" */
    public BadInputException(String file, int line, String what) {
        super(file + ":" + line + ": " + what);
    }
}
