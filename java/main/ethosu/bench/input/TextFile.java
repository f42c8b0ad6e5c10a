// Reads the text files people give the bench (scenarios, schedules, the baseline): a missing file,
// a directory, a binary file or bytes that are not UTF-8 are one line naming the file.
package ethosu.bench.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

public final class TextFile {
    /** No format of the bench comes near this; a bigger file is a mistake (a core file, a log). */
    public static final long MAX_BYTES = 16L << 20;

    private TextFile() {}

    /**
     * The file's text.
     *
     * @param what what the file should be, for the message ("a scenario file")
     */
    public static String read(Path file, String what) {
        if (Files.isDirectory(file))
            throw new BadInputException(file + ": is a directory, expected " + what);
        if (!Files.exists(file))
            throw new BadInputException(file + ": no such file, expected " + what);
        if (!Files.isRegularFile(file))
            throw new BadInputException(file + ": not a regular file, expected " + what);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES)
                throw new BadInputException(file + ": " + Files.size(file) + " bytes, expected " + what
                        + " (text, at most " + (MAX_BYTES >> 20) + " MiB)");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file, expected " + what);
        } catch (AccessDeniedException e) {
            throw new BadInputException(file + ": permission denied, expected " + what + " to read");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read it (" + e.getMessage() + "), expected " + what);
        }
        return decode(file.toString(), bytes, what);
    }

    /** Strict UTF-8 without NUL bytes; errors name the line of the first bad byte. */
    public static String decode(String file, byte[] bytes, String what) {
        for (int i = 0; i < bytes.length; i++)
            if (bytes[i] == 0)
                throw new BadInputException(file, lineOf(bytes, i), "a NUL byte: a binary file, expected " + what);
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) r = dec.flush(out);
        if (r.isError()) {
            int at = Math.min(in.position(), bytes.length - 1);
            throw new BadInputException(file, lineOf(bytes, at), String.format(
                    "byte 0x%02x is not UTF-8 text, expected %s", bytes[at] & 0xff, what));
        }
        return out.flip().toString();
    }

    private static int lineOf(byte[] b, int at) {
        int line = 1;
        for (int i = 0; i < at && i < b.length; i++) if (b[i] == '\n') line++;
        return line;
    }
}
