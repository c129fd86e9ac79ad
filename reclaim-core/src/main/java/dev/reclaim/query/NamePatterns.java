package dev.reclaim.query;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.reclaim.InvalidArgumentException;

/**
 * The syntax of name filters: RE2's (https://github.com/google/re2/wiki/Syntax), which matches in
 * time linear in the name, whatever the pattern. What RE2 leaves out for that reason (backreferences,
 * lookaround, possessive and atomic forms) is refused with a message that says what to write
 * instead; stores may refuse a little more that not every database can run the same way.
 */
final class NamePatterns {
    /** Longest pattern accepted, in characters: far beyond any name filter, short enough to parse at once. */
    static final int MAX_LENGTH = 1000;
    /**
     * Largest compiled pattern accepted, in RE2 instructions. Matching costs this times the name's
     * length at worst; repeat counts multiply ({@code (a{100}){20}} is 2,000 copies of {@code a}).
     */
    static final int MAX_PROGRAM = 2000;

    private NamePatterns() {
    }

    /**
     * Checks that {@code pattern} is RE2 syntax.
     *
     * @throws InvalidArgumentException naming what is wrong and how to write it instead
     */
    static void check(String pattern) {
        if (pattern.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("name: the pattern is " + pattern.length() + " characters long; name "
                    + "patterns may have at most " + MAX_LENGTH);
        }
        int unfoldable = UnfoldableCharacters.foldedBy(pattern);
        if (unfoldable >= 0) {
            throw new InvalidArgumentException("name: '" + pattern + "' asks (?i) to fold the case of "
                    + new String(Character.toChars(unfoldable)) + " (" + String.format("U+%04X", unfoldable) + "), which "
                    + "the regular expression library cannot fold; write the cases out instead, e.g. [\u1C80\u0412\u0432] "
                    + "for U+1C80, or leave out (?i)");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidArgumentException("name: '" + pattern + "' " + reason(e));
        }
        if (compiled.programSize() > MAX_PROGRAM) {
            throw new InvalidArgumentException("name: '" + pattern + "' is too large once compiled (" + compiled.programSize()
                    + " steps, at most " + MAX_PROGRAM + "): repeat counts multiply, so (a{100}){20} is 2,000 copies of a; "
                    + "use smaller counts or a shorter pattern");
        }
    }

    private static String reason(PatternSyntaxException e) {
        String at = e.getPattern() == null ? "" : e.getPattern();
        String description = e.getDescription();
        String linear = ": name filters use RE2 syntax, which matches in time linear in the name and so has no ";
        if (description.startsWith("invalid escape") && at.matches("\\\\[1-9].*")) {
            return "uses a backreference; backreferences such as \\1 are not supported" + linear
                    + "backreferences; repeat the text itself, e.g. (ab)ab instead of (ab)\\1";
        }
        if (at.startsWith("(?=") || at.startsWith("(?!")) {
            return "uses lookahead, which is not supported" + linear
                    + "lookaround; match the text itself, or narrow the list with another filter (project, status, tag)";
        }
        if (at.startsWith("(?<=") || at.startsWith("(?<!")) {
            return "uses lookbehind, which is not supported" + linear
                    + "lookaround; match the text itself, or narrow the list with another filter (project, status, tag)";
        }
        if (at.startsWith("(?>")) {
            return "uses an atomic group, which is not supported: atomic groups only limit backtracking, and RE2 "
                    + "never backtracks; write (?:...) instead";
        }
        if (description.startsWith("invalid nested repetition") && at.length() > 1 && at.endsWith("+")) {
            String plain = at.substring(0, at.length() - 1);
            return "uses a possessive quantifier (" + at + "), which is not supported: it only limits backtracking, "
                    + "and RE2 never backtracks; write a" + plain + " instead of a" + at;
        }
        return "is not a valid regular expression: " + description + (at.isEmpty() ? "" : " at '" + at + "'")
                + "; name filters use RE2 syntax (https://github.com/google/re2/wiki/Syntax): escape special "
                + "characters such as ( [ * with a backslash to match them literally";
    }
}
