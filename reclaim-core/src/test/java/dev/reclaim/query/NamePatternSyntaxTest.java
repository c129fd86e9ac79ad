package dev.reclaim.query;

import dev.reclaim.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Name filters use RE2 syntax: what RE2 cannot do in linear time is refused, saying what to write instead. */
class NamePatternSyntaxTest {

    private static void assertRefused(String pattern, String... phrases) {
        assertThatThrownBy(() -> TaskQuery.builder().namePattern(pattern))
                .as(pattern).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("name: '" + pattern + "' ")
                .hasMessageContainingAll(phrases);
    }

    @Test
    void aBackreferenceIsRefusedWithAWayToWriteItWithout() {
        assertRefused("(ab)\\1", "backreferences such as \\1 are not supported", "RE2");
    }

    @Test
    void lookaheadAndLookbehindAreRefusedWithAWayToWriteThemWithout() {
        assertRefused("eval(?=-v2)", "lookahead", "not supported");
        assertRefused("eval(?!-v2)", "lookahead", "not supported");
        assertRefused("(?<=run-)eval", "lookbehind", "not supported");
        assertRefused("(?<!run-)eval", "lookbehind", "not supported");
    }

    @Test
    void possessiveQuantifiersAndAtomicGroupsAreRefusedWithTheirPlainForm() {
        assertRefused("a*+b", "possessive", "write a* instead");
        assertRefused("(?>ab)c", "atomic groups", "(?:...)");
    }

    @Test
    void otherSyntaxErrorsNameRe2sReasonAndHowToEscape() {
        assertRefused("train(", "not a valid regular expression", "missing closing )", "backslash");
        assertRefused("a**", "not a valid regular expression", "invalid nested repetition operator");
    }

    /**
     * RE2/J never finishes compiling a case-insensitive pattern that folds U+1C80..U+1C88 (its
     * Unicode tables are older than the JDK's: google/re2j#168); the check must answer at once.
     */
    @Test
    void caseInsensitivePatternsThatRe2jCannotFoldAreRefusedAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertRefused("(?i)\u1C80", "U+1C80", "(?i)");
            assertRefused("(?i)x\\x{1c84}", "U+1C84", "(?i)");
            assertRefused("(?i:a|[\\x{1000}-\\x{2000}])", "U+1C80", "(?i)");
            assertRefused("(?i)[\u1C00-\u1CFF]", "U+1C80", "(?i)");
            assertRefused("(?i)[^\\x{1000}-\\x{2000}]", "U+1C80", "(?i)");
            assertRefused("(?i)\\Q\u1C88\\E", "U+1C88", "(?i)");
        });
        assertThat(TaskQuery.builder().namePattern("\u1C80[\\x{1000}-\\x{2000}]").build().namePattern()).isNotNull();
        assertThat(TaskQuery.builder().namePattern("(?i)[\\x{0}-\\x{10FFFF}]").build().namePattern()).isNotNull();
        assertThat(TaskQuery.builder().namePattern("(?i)[а-я]\\x{1c7f}").build().namePattern()).isNotNull();
        assertThat(TaskQuery.builder().namePattern("(?i)\\p{Cyrillic}\\PL").build().namePattern()).isNotNull();
    }

    /** The characters above are exactly those RE2/J cannot fold on this JDK; a newer JDK may add some. */
    @Test
    void theUnfoldableCharactersAreExactlyThoseRe2jCannotFoldOnThisJdk() throws Exception {
        Method simpleFold = Class.forName("com.google.re2j.Unicode").getDeclaredMethod("simpleFold", int.class);
        simpleFold.setAccessible(true);
        List<Integer> neverFoldBack = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            int d = c;
            boolean back = false;
            for (int step = 0; step < 8 && !back; step++) {
                d = (int) simpleFold.invoke(null, d);
                back = d == c;
            }
            if (!back) {
                neverFoldBack.add(c);
            }
        }
        assertThat(neverFoldBack).containsExactlyElementsOf(UnfoldableCharacters.ALL);
        Field min = Class.forName("com.google.re2j.Unicode").getDeclaredField("MIN_FOLD");
        Field max = Class.forName("com.google.re2j.Unicode").getDeclaredField("MAX_FOLD");
        min.setAccessible(true);
        max.setAccessible(true);
        assertThat(List.of(min.getInt(null), max.getInt(null))).containsExactly(UnfoldableCharacters.MIN_FOLD, UnfoldableCharacters.MAX_FOLD);
    }

    @Test
    void patternsTooLongOrTooLargeOnceCompiledAreRefused() {
        assertRefused("(a{255}){20}", "too large once compiled", "at most 2000", "smaller counts");
        assertThatThrownBy(() -> TaskQuery.builder().namePattern("a".repeat(1001)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("name: the pattern is 1001 characters long; name "
                        + "patterns may have at most 1000");
        assertThat(TaskQuery.builder().namePattern("(.{255}){4}").build().namePattern()).isNotNull();
    }

    @Test
    void re2SyntaxThatJavaLacksIsAccepted() {
        assertThat(TaskQuery.builder().namePattern("(?P<run>eval)").build().namePattern()).isEqualTo("(?P<run>eval)");
        assertThat(TaskQuery.builder().namePattern("(.*a){20}$").build().namePattern()).isEqualTo("(.*a){20}$");
    }
}
