package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;

import java.util.ArrayList;
import java.util.List;

/**
 * Name patterns for PostgreSQL: translates a pattern in RE2 syntax (already parsed by RE2/J, see
 * {@link dev.reclaim.query.TaskQuery.Builder#namePattern}) into a PostgreSQL advanced regular
 * expression that matches the same names, and refuses the few RE2 forms that have no such
 * translation. Every store runs it, SQLite's too, so all of them accept and refuse the same patterns.
 *
 * <p>Where the two syntaxes read the same text differently, the translation spells out RE2's
 * meaning: {@code \d \s \w}, {@code \b}, POSIX classes and {@code .} become explicit ASCII sets
 * (PostgreSQL's follow the database locale), {@code (?i)} becomes explicit sets of the characters
 * RE2 folds together ({@link CaseFolding}), {@code \z} becomes {@code \Z}, {@code \x41} and octal
 * escapes become {@code \U} escapes (PostgreSQL's {@code \x} takes any number of digits), a brace
 * RE2 reads literally is escaped, and every group becomes non-capturing (only whether a name
 * matches is asked, and PostgreSQL matches faster without captures). Every character other than an
 * ASCII letter or digit is written as a {@code \U} escape, so no text is special to PostgreSQL by
 * accident (such as {@code [.} in a bracket, a collating element there).
 *
 * <p>Refused: Unicode classes ({@code \pL}), flags anywhere but the very start or switching one
 * off, more than {@value #MAX_REPEAT} repetitions, a negated class inside brackets with other
 * characters ({@code [a\D]}), and NUL.
 */
final class PosixPattern {
    /** Most repetitions PostgreSQL accepts in one repeat ({@code RE_DUP_MAX}). */
    static final int MAX_REPEAT = 255;

    private static final String WORD = "[0-9A-Za-z_]";
    private static final String WORD_BOUNDARY = "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";
    private static final String NOT_WORD_BOUNDARY = "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))";

    private final String pattern;
    private final StringBuilder out = new StringBuilder();
    private int i;
    private boolean dotMatchesNewline;
    private boolean caseInsensitive;

    private PosixPattern(String pattern) {
        this.pattern = pattern;
    }

    /**
     * The PostgreSQL form of an RE2 pattern.
     *
     * @throws InvalidArgumentException for a form that PostgreSQL cannot run with RE2's meaning
     */
    static String translate(String re2) {
        PosixPattern p = new PosixPattern(re2);
        p.flags();
        while (p.i < re2.length()) {
            p.atom();
        }
        return p.out.toString();
    }

    /**
     * Leading {@code (?imsU)} groups: {@code m} becomes PostgreSQL's embedded option {@code w} (which
     * must open the expression); {@code i} and {@code s} are spelled out in what follows.
     */
    private void flags() {
        StringBuilder options = new StringBuilder();
        while (pattern.startsWith("(?", i)) {
            int end = i + 2;
            while (end < pattern.length() && "imsU".indexOf(pattern.charAt(end)) >= 0) {
                end++;
            }
            if (end == i + 2 || end >= pattern.length() || pattern.charAt(end) != ')') {
                break;
            }
            for (char f : pattern.substring(i + 2, end).toCharArray()) {
                switch (f) {
                    case 'i' -> caseInsensitive = true;
                    case 'm' -> options.append('w'); // ^ and $ at line ends; . and brackets unaffected
                    case 's' -> dotMatchesNewline = true;
                    default -> { } // U: greediness never changes whether a name matches
                }
            }
            i = end + 1;
        }
        if (!options.isEmpty()) {
            out.append("(?").append(options).append(')');
        }
    }

    private void atom() {
        int c = pattern.codePointAt(i);
        switch (c) {
            case '\\' -> escape();
            case '[' -> bracket();
            case '(' -> group();
            case ')', '|', '^', '$', '*', '+', '?' -> {
                out.appendCodePoint(c);
                i++;
            }
            case '.' -> {
                out.append(dotMatchesNewline ? "." : "[^\\U0000000A]");
                i++;
            }
            case '{' -> repeatOrBrace();
            default -> {
                literal(c);
                i += Character.charCount(c);
            }
        }
    }

    private void group() {
        if (!pattern.startsWith("(?", i)) {
            out.append("(?:");
            i++;
        } else if (pattern.startsWith("(?:", i)) {
            out.append("(?:");
            i += 3;
        } else if (pattern.startsWith("(?P<", i) || pattern.startsWith("(?<", i)) {
            out.append("(?:");
            i = pattern.indexOf('>', i) + 1;
        } else {
            int end = i + 2;
            while (end < pattern.length() && pattern.charAt(end) != ')' && pattern.charAt(end) != ':') {
                end++;
            }
            String flags = pattern.substring(i, Math.min(end + 1, pattern.length()));
            throw refused("uses the flags " + flags + ": flags are supported only at the very start of the pattern and "
                    + "only to switch them on, as in (?i)eval, since PostgreSQL cannot switch them inside it; move them to the start");
        }
    }

    /** A repeat as RE2 parses it ({@code {n}}, {@code {n,}}, {@code {n,m}}, no leading zeros); any other brace is a literal. */
    private void repeatOrBrace() {
        int close = pattern.indexOf('}', i);
        String body = close < 0 ? "" : pattern.substring(i + 1, close);
        if (!body.matches("(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?")) {
            literal('{');
            i++;
            return;
        }
        for (String count : body.split(",")) {
            if (count.length() > 3 || Integer.parseInt(count) > MAX_REPEAT) {
                throw refused("repeats {" + body + "}: at most " + MAX_REPEAT + " repetitions are supported (PostgreSQL's "
                        + "limit); split the count over two repeats, e.g. x{200}x{56} instead of x{256}");
            }
        }
        out.append('{').append(body).append('}');
        i = close + 1;
    }

    private void escape() {
        int start = i;
        i++; // the backslash
        char e = pattern.charAt(i);
        switch (e) {
            case 'A' -> {
                out.append("\\A");
                i++;
            }
            case 'z' -> {
                out.append("\\Z");
                i++;
            }
            case 'b' -> {
                out.append(WORD_BOUNDARY);
                i++;
            }
            case 'B' -> {
                out.append(NOT_WORD_BOUNDARY);
                i++;
            }
            case 'd', 's', 'w', 'D', 'S', 'W' -> {
                out.append(Character.isUpperCase(e) ? "[^" : "[");
                appendRanges(folded(perlClass(Character.toLowerCase(e))));
                out.append(']');
                i++;
            }
            case 'p', 'P' -> throw unicodeClass(start);
            case 'Q' -> quoted();
            default -> literal(escapedCharacter());
        }
    }

    /** {@code \Q...\E}: every character up to {@code \E} (or the end) is literal. */
    private void quoted() {
        i++; // the Q
        int end = pattern.indexOf("\\E", i);
        int stop = end < 0 ? pattern.length() : end;
        while (i < stop) {
            int c = pattern.codePointAt(i);
            literal(c);
            i += Character.charCount(c);
        }
        i = end < 0 ? stop : end + 2;
    }

    /**
     * The character of the escape whose backslash is just before {@code i}, with {@code i} past it:
     * octal ({@code \0}, {@code \012}, {@code \123}), hex ({@code \x41}, {@code \x{10FFFF}}), a
     * control escape, or an escaped punctuation or other non-word character.
     */
    private int escapedCharacter() {
        char e = pattern.charAt(i);
        if (e >= '0' && e <= '7') {
            int value = 0;
            for (int digits = 0; digits < 3 && i < pattern.length() && pattern.charAt(i) >= '0' && pattern.charAt(i) <= '7'; digits++) {
                value = value * 8 + (pattern.charAt(i) - '0');
                i++;
            }
            return value;
        }
        if (e == 'x') {
            i++;
            int end = pattern.charAt(i) == '{' ? pattern.indexOf('}', i) : i + 2;
            int value = Integer.parseInt(pattern.substring(pattern.charAt(i) == '{' ? i + 1 : i, end), 16);
            i = pattern.charAt(i) == '{' ? end + 1 : end;
            return value;
        }
        int c = pattern.codePointAt(i);
        i += Character.charCount(c);
        return switch (c) {
            case 'a' -> 7;
            case 'f' -> 12;
            case 't' -> 9;
            case 'n' -> 10;
            case 'r' -> 13;
            case 'v' -> 11;
            default -> c;
        };
    }

    /**
     * A bracket expression, its ranges spelled out. A negated class ({@code \D}, {@code [:^alpha:]})
     * has a PostgreSQL form only as the bracket's one item: then it negates the bracket instead.
     */
    private void bracket() {
        i++; // [
        boolean negated = pattern.charAt(i) == '^';
        if (negated) {
            i++;
        }
        List<int[]> ranges = new ArrayList<>();
        String negatedItem = null;
        int items = 0;
        while (items == 0 || pattern.charAt(i) != ']') {
            items++;
            if (pattern.startsWith("[:", i) && pattern.indexOf(":]", i + 2) > 0) {
                int end = pattern.indexOf(":]", i + 2);
                String name = pattern.substring(i + 2, end);
                if (name.startsWith("^")) {
                    negatedItem = "[:" + name + ":]";
                    name = name.substring(1);
                }
                ranges.addAll(posixClass(name));
                i = end + 2;
            } else if (pattern.charAt(i) == '\\' && "dswDSWpP".indexOf(pattern.charAt(i + 1)) >= 0) {
                char e = pattern.charAt(i + 1);
                if (e == 'p' || e == 'P') {
                    throw unicodeClass(i);
                }
                if (Character.isUpperCase(e)) {
                    negatedItem = "\\" + e;
                }
                ranges.addAll(perlClass(Character.toLowerCase(e)));
                i += 2;
            } else {
                int lo = classCharacter();
                int hi = lo;
                if (pattern.charAt(i) == '-' && pattern.charAt(i + 1) != ']') {
                    i++;
                    hi = classCharacter();
                }
                ranges.add(new int[] {lo, hi});
            }
        }
        i++; // ]
        if (negatedItem != null && items > 1) {
            throw refused("uses " + negatedItem + " inside brackets with other characters: a negated class inside "
                    + "brackets is supported only on its own, as PostgreSQL has no such form; write the characters it "
                    + "stands for ([0-9] for \\D), or an alternative such as (?:[ab]|\\D)");
        }
        out.append(negated != (negatedItem != null) ? "[^" : "[");
        appendRanges(folded(ranges));
        out.append(']');
    }

    /** RE2 folds a class before negating it, under {@code (?i)}. */
    private List<int[]> folded(List<int[]> ranges) {
        return caseInsensitive ? CaseFolding.fold(ranges) : ranges;
    }

    private int classCharacter() {
        if (pattern.charAt(i) == '\\') {
            i++;
            return escapedCharacter();
        }
        int c = pattern.codePointAt(i);
        i += Character.charCount(c);
        return c;
    }

    private void appendRanges(List<int[]> ranges) {
        for (int[] r : ranges) {
            // NUL never occurs in a PostgreSQL string, and PostgreSQL refuses it in a pattern
            int lo = Math.max(r[0], 1);
            if (lo > r[1]) {
                continue;
            }
            bracketCharacter(lo);
            if (r[1] != lo) {
                out.append('-');
                bracketCharacter(r[1]);
            }
        }
    }

    private void literal(int c) {
        if (c == 0) {
            throw refused("contains NUL (\\x00), which no name contains; leave it out");
        }
        int[] orbit = caseInsensitive ? CaseFolding.orbit(c) : new int[] {c};
        if (orbit.length == 1) {
            bracketCharacter(c);
            return;
        }
        out.append('[');
        for (int d : orbit) {
            bracketCharacter(d);
        }
        out.append(']');
    }

    /** ASCII letters and digits as they are; everything else as a {@code \U} escape, special nowhere. */
    private void bracketCharacter(int c) {
        if (c < 128 && Character.isLetterOrDigit(c)) {
            out.append((char) c);
        } else {
            out.append(String.format("\\U%08X", c));
        }
    }

    /** RE2's Perl classes: ASCII only. */
    private static List<int[]> perlClass(char name) {
        return switch (name) {
            case 'd' -> List.of(new int[] {'0', '9'});
            case 's' -> List.of(new int[] {'\t', '\n'}, new int[] {'\f', '\r'}, new int[] {' ', ' '});
            default -> List.of(new int[] {'0', '9'}, new int[] {'A', 'Z'}, new int[] {'a', 'z'}, new int[] {'_', '_'});
        };
    }

    /** RE2's POSIX classes: ASCII only (PostgreSQL's follow the locale). */
    private static List<int[]> posixClass(String name) {
        return switch (name) {
            case "alnum" -> List.of(new int[] {'0', '9'}, new int[] {'A', 'Z'}, new int[] {'a', 'z'});
            case "alpha" -> List.of(new int[] {'A', 'Z'}, new int[] {'a', 'z'});
            case "ascii" -> List.of(new int[] {0, 0x7F});
            case "blank" -> List.of(new int[] {'\t', '\t'}, new int[] {' ', ' '});
            case "cntrl" -> List.of(new int[] {0, 0x1F}, new int[] {0x7F, 0x7F});
            case "digit" -> List.of(new int[] {'0', '9'});
            case "graph" -> List.of(new int[] {'!', '~'});
            case "lower" -> List.of(new int[] {'a', 'z'});
            case "print" -> List.of(new int[] {' ', '~'});
            case "punct" -> List.of(new int[] {'!', '/'}, new int[] {':', '@'}, new int[] {'[', '`'}, new int[] {'{', '~'});
            case "space" -> List.of(new int[] {'\t', '\r'}, new int[] {' ', ' '});
            case "upper" -> List.of(new int[] {'A', 'Z'});
            case "word" -> List.of(new int[] {'0', '9'}, new int[] {'A', 'Z'}, new int[] {'a', 'z'}, new int[] {'_', '_'});
            case "xdigit" -> List.of(new int[] {'0', '9'}, new int[] {'A', 'F'}, new int[] {'a', 'f'});
            default -> throw new IllegalArgumentException("RE2 accepted an unknown POSIX class " + name);
        };
    }

    private InvalidArgumentException unicodeClass(int at) {
        int end = pattern.charAt(at + 2) == '{' ? pattern.indexOf('}', at) + 1 : at + 3;
        String construct = pattern.substring(at, end);
        return refused("uses " + construct + ": Unicode character classes such as " + construct + " are not supported, "
                + "as PostgreSQL has none; list the characters in brackets, or use an ASCII class such as [[:alpha:]]");
    }

    private InvalidArgumentException refused(String reason) {
        return new InvalidArgumentException("name: '" + pattern + "' " + reason);
    }
}
