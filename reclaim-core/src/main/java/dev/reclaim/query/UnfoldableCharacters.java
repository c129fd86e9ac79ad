package dev.reclaim.query;

import java.util.List;

/**
 * Characters RE2/J 1.8 never finishes folding: compiling a case-insensitive pattern that folds one
 * (a literal, or a class or range that covers one) loops forever (google/re2j#168). RE2/J folds
 * with its own Unicode tables where they have an entry and with the JDK's case mappings where they
 * do not; for these characters, newer than its tables, the JDK's mappings lead into a fold cycle
 * that never comes back. A test checks this list against the running JDK.
 *
 * <p>The check reads the pattern the way RE2 does (escapes, {@code \Q...\E}, brackets and ranges;
 * RE2/J appends a range covering its whole fold span without folding it)
 * and stops at what it cannot read, where RE2 would stop with a syntax error too; it reports
 * nothing for a pattern without an {@code i} flag, since only case folding loops.
 */
final class UnfoldableCharacters {
    /** U+1C80..U+1C88: Cyrillic Extended-C, whose upper cases are ordinary Cyrillic capitals. */
    static final List<Integer> ALL = List.of(0x1C80, 0x1C81, 0x1C82, 0x1C83, 0x1C84, 0x1C85, 0x1C86, 0x1C87, 0x1C88);
    /** RE2/J appends a range that covers this whole span without folding it character by character. */
    static final int MIN_FOLD = 0x0041;
    static final int MAX_FOLD = 0x1044F;

    private static final int FIRST = ALL.get(0);
    private static final int LAST = ALL.get(ALL.size() - 1);

    private final String pattern;
    private int i;

    private UnfoldableCharacters(String pattern) {
        this.pattern = pattern;
    }

    /**
     * The first character of {@link #ALL} that compiling {@code pattern} would fold, or -1 for none.
     */
    static int foldedBy(String pattern) {
        if (!switchesOnCaseFolding(pattern)) {
            return -1;
        }
        try {
            return new UnfoldableCharacters(pattern).scan();
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            return -1; // not RE2 syntax at this point: RE2 refuses it here too, before folding anything after it
        }
    }

    /** True when some flag group ({@code (?i)}, {@code (?si:}) switches {@code i} on; a false alarm only costs a scan. */
    private static boolean switchesOnCaseFolding(String pattern) {
        for (int at = pattern.indexOf("(?"); at >= 0; at = pattern.indexOf("(?", at + 2)) {
            for (int j = at + 2; j < pattern.length() && "imsU".indexOf(pattern.charAt(j)) >= 0; j++) {
                if (pattern.charAt(j) == 'i') {
                    return true;
                }
            }
        }
        return false;
    }

    private int scan() {
        while (i < pattern.length()) {
            int c = pattern.codePointAt(i);
            int found;
            if (c == '[') {
                found = bracket();
            } else if (pattern.startsWith("\\Q", i)) {
                int end = pattern.indexOf("\\E", i + 2);
                String quoted = pattern.substring(i + 2, end < 0 ? pattern.length() : end);
                found = quoted.codePoints().filter(UnfoldableCharacters::unfoldable).findFirst().orElse(-1);
                i = end < 0 ? pattern.length() : end + 2;
            } else if (c == '\\') {
                i++;
                found = single(escaped());
            } else {
                i += Character.charCount(c);
                found = single(c);
            }
            if (found >= 0) {
                return found;
            }
        }
        return -1;
    }

    private int bracket() {
        i++;
        if (pattern.charAt(i) == '^') {
            i++;
        }
        for (boolean first = true; first || pattern.charAt(i) != ']'; first = false) {
            if (pattern.startsWith("[:", i) && pattern.indexOf(":]", i + 2) > 0) {
                i = pattern.indexOf(":]", i + 2) + 2; // ASCII classes
                continue;
            }
            if (pattern.charAt(i) == '\\' && "dswDSWpP".indexOf(pattern.charAt(i + 1)) >= 0) {
                i += pattern.charAt(i + 1) == 'p' || pattern.charAt(i + 1) == 'P' ? unicodeClassLength() : 2;
                continue;
            }
            int lo = classCharacter();
            int hi = lo;
            if (pattern.charAt(i) == '-' && pattern.charAt(i + 1) != ']') {
                i++;
                hi = classCharacter();
            }
            boolean wholeFoldSpan = lo <= MIN_FOLD && hi >= MAX_FOLD;
            if (!wholeFoldSpan && lo <= LAST && hi >= FIRST) {
                return Math.max(lo, FIRST);
            }
        }
        i++;
        return -1;
    }

    /**
     * Unicode classes come from RE2/J's own tables, which lack the unfoldable characters, and a
     * negated one is folded before it is negated: they never fold one.
     */
    private int unicodeClassLength() {
        return pattern.charAt(i + 2) == '{' ? pattern.indexOf('}', i) + 1 - i : 3;
    }

    private int classCharacter() {
        int c = pattern.codePointAt(i);
        if (c == '\\') {
            i++;
            return escaped();
        }
        i += Character.charCount(c);
        return c;
    }

    /** The character of the escape after a backslash; only {@code \x} can reach the unfoldable ones. */
    private int escaped() {
        if (pattern.charAt(i) == 'x') {
            i++;
            if (pattern.charAt(i) == '{') {
                int close = pattern.indexOf('}', i);
                int value = Integer.parseInt(pattern.substring(i + 1, close), 16);
                i = close + 1;
                return value;
            }
            int value = Integer.parseInt(pattern.substring(i, i + 2), 16);
            i += 2;
            return value;
        }
        int c = pattern.codePointAt(i);
        i += Character.charCount(c);
        return c;
    }

    private static int single(int c) {
        return unfoldable(c) ? c : -1;
    }

    private static boolean unfoldable(int c) {
        return c >= FIRST && c <= LAST;
    }
}
