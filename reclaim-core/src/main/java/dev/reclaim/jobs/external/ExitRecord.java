package dev.reclaim.jobs.external;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a batch script writes to {@link BatchSubmission#exitFile()} when it ends: one line, the
 * command's exit status, then a space and a problem word when the command never ran
 * ({@value #CANNOT_START}: the program is not there or not executable on the node;
 * {@value #NO_WORKING_DIR}: the working folder cannot be entered). The script writes it to a
 * temporary name and moves it, so a half-written record is never read.
 *
 * @param exitCode the exit status, 0 to 255
 * @param problem  {@value #CANNOT_START}, {@value #NO_WORKING_DIR}, or null when the command ran
 */
public record ExitRecord(int exitCode, String problem) {
    /** The program could not be started. */
    public static final String CANNOT_START = "cannot-start";
    /** The working folder could not be entered. */
    public static final String NO_WORKING_DIR = "no-working-dir";

    private static final Pattern LINE = Pattern.compile("(\\d{1,3})(?: (" + CANNOT_START + "|" + NO_WORKING_DIR + "))?");

    /** The record a file's text holds; empty for anything else (a record is never guessed). */
    public static Optional<ExitRecord> parse(String text) {
        Matcher m = LINE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int code = Integer.parseInt(m.group(1));
        return code > 255 ? Optional.empty() : Optional.of(new ExitRecord(code, m.group(2)));
    }
}
