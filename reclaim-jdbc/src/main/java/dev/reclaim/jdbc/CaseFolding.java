package dev.reclaim.jdbc;

import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RE2's case-insensitive matching, spelled out as sets of characters, so a translated pattern
 * needs no case-insensitive mode of the database (whose folding follows the locale: in a database
 * with the C locale PostgreSQL folds ASCII letters only).
 *
 * <p>A character's fold orbit is what RE2/J itself matches with {@code (?i)} among the characters
 * Java's case mappings relate to it (RE2/J never relates characters Java does not): RE2/J's Unicode
 * tables are older than the JDK's, and RE2 does not fold the Turkish dotted and dotless i with i,
 * so Java's mappings alone would match more.
 */
final class CaseFolding {
    /** Every character Java's case mappings relate to another, to all characters so related (itself included). */
    private static final class Related {
        static final NavigableMap<Integer, int[]> BY_CHARACTER = build();

        private static NavigableMap<Integer, int[]> build() {
            Map<Integer, List<Integer>> groups = new HashMap<>();
            for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
                int key = Character.toLowerCase(Character.toUpperCase(c));
                if (key != c || Character.toUpperCase(c) != c) {
                    groups.computeIfAbsent(key, k -> new ArrayList<>(List.of(k))).add(c);
                }
            }
            NavigableMap<Integer, int[]> related = new TreeMap<>();
            for (List<Integer> group : groups.values()) {
                int[] members = group.stream().distinct().mapToInt(Integer::intValue).toArray();
                if (members.length > 1) {
                    for (int m : members) {
                        related.put(m, members);
                    }
                }
            }
            return related;
        }
    }

    private static final Map<Integer, int[]> ORBITS = new ConcurrentHashMap<>();

    private CaseFolding() {
    }

    /**
     * The characters RE2 matches for {@code c} under {@code (?i)}, {@code c} included. Asked of RE2/J
     * through the character Java's mappings relate everything in the group to (its lower case of
     * its upper case), never through {@code c} itself: RE2/J never finishes folding a few characters
     * newer than its tables (see {@code dev.reclaim.query.UnfoldableCharacters}), which are never
     * such a representative.
     */
    static int[] orbit(int c) {
        int[] related = Related.BY_CHARACTER.get(c);
        if (related == null) {
            return new int[] {c};
        }
        return ORBITS.computeIfAbsent(c, k -> {
            int representative = Character.toLowerCase(Character.toUpperCase(k));
            Pattern re2 = Pattern.compile("(?i)\\x{" + Integer.toHexString(representative) + "}");
            if (!matches(re2, k)) {
                return new int[] {k};
            }
            return Arrays.stream(related).filter(d -> matches(re2, d)).toArray();
        });
    }

    private static boolean matches(Pattern re2, int c) {
        return re2.matcher(new String(Character.toChars(c))).matches();
    }

    /** The ranges with every character's orbit added: what RE2 matches for a class under {@code (?i)}. */
    static List<int[]> fold(List<int[]> ranges) {
        List<int[]> folded = new ArrayList<>(ranges);
        for (int[] r : ranges) {
            for (int c : Related.BY_CHARACTER.subMap(r[0], true, r[1], true).keySet()) {
                for (int d : orbit(c)) {
                    if (!within(ranges, d)) {
                        folded.add(new int[] {d, d});
                    }
                }
            }
        }
        return folded;
    }

    private static boolean within(List<int[]> ranges, int c) {
        for (int[] r : ranges) {
            if (r[0] <= c && c <= r[1]) {
                return true;
            }
        }
        return false;
    }
}
