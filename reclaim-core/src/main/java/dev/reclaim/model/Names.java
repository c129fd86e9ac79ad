package dev.reclaim.model;

import dev.reclaim.InvalidArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The limits on text people give Reclaim: task and job names, projects, types, tags, parameters,
 * artifact names, token and queue names. They are checked here only, so the Java API, the CLI and
 * the HTTP API accept and refuse exactly the same text; a refusal is an
 * {@link InvalidArgumentException} naming the field, what is wrong and the limit.
 *
 * <p>Every kind refuses control characters (U+0000-U+001F, U+007F-U+009F: line breaks, tabs and
 * terminal escapes would forge lines in consoles, tables and logs), the bidirectional-text
 * controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069: they make a name display in a
 * misleading order), the line and paragraph separators U+2028 and U+2029, and unpaired surrogates
 * (not characters; they cannot be stored as UTF-8). Lengths count characters (Unicode code
 * points), not bytes, except that each part of an artifact name between slashes is also held to
 * {@link #MAX_NAME_PART_BYTES} bytes of UTF-8, the limit of a file name. Names that are compared exactly (all but artifact names and parameter
 * values) may not start or end with white space, which would make two names look the same.
 */
public final class Names {
    /** Most tags on one task. */
    public static final int MAX_TAGS = 100;
    /** Most parameters on one task. */
    public static final int MAX_PARAMS = 500;

    /** A task's name (and so a job's). */
    public static final Rule TASK_NAME = new Rule("task name", 256, true, false, null);
    /** A job's name: a job is a task, so the same limit. */
    public static final Rule JOB_NAME = new Rule("job name", 256, true, false, null);
    /**
     * A project. No commas: the Cleanup Service's {@code projects} setting is a comma-separated
     * list, so a project named {@code a,b} could not be named there and {@code a} and {@code b}
     * would be cleaned up instead.
     */
    public static final Rule PROJECT = new Rule("project", 128, true, false, null).also(v -> v.indexOf(',') < 0 ? null
            : "contains a comma; commas separate projects in the Cleanup Service's projects setting, so choose a name without one");
    /** A task's type. */
    public static final Rule TYPE = new Rule("type", 64, true, false, null);
    /** A user tag. Not starting with {@code -}, which query filters read as "has not". */
    public static final Rule TAG = new Rule("tag", 64, true, false, null).also(v -> !v.startsWith("-") ? null
            : "starts with '-', which filters read as \"has not\"; choose a tag that does not start with '-'");
    /** A parameter's name. */
    public static final Rule PARAM_NAME = new Rule("parameter name", 128, true, false, null);
    /** A parameter's value: may be empty and may start or end with spaces. */
    public static final Rule PARAM_VALUE = new Rule("parameter value", 4096, false, true, null);
    /**
     * An artifact's name, a relative path (the storage key rules apply on top: no backslash, no
     * empty, {@code .} or {@code ..} segment). Spaces at the ends are kept: files have such names.
     */
    public static final Rule ARTIFACT_NAME = new Rule("artifact name", 512, false, false, null).also(Names::longPart);
    /**
     * Most bytes (UTF-8) in one part of an artifact name between slashes: each part becomes a file
     * or folder name in a filesystem root, and Linux file systems allow 255 bytes (NAME_MAX). The
     * same on every store, so an artifact never depends on where it is kept.
     */
    public static final int MAX_NAME_PART_BYTES = 255;
    /** An API token's name. */
    public static final Rule TOKEN_NAME = new Rule("token name", 64, true, false, Pattern.compile("[A-Za-z0-9_.-]+"));
    /** A queue's name. */
    public static final Rule QUEUE = new Rule("queue name", 64, true, false, Pattern.compile("[A-Za-z0-9_.-]+"));
    /**
     * A named artifact store's name: 1 to 32 lowercase letters, digits, {@code _} or {@code -},
     * starting with a letter or digit, and not {@code default} (the home's own root is bound under
     * that name). It becomes a segment of recorded keys ({@code .reclaim-stores/NAME/KEY}).
     */
    public static final Rule STORE_NAME = new Rule("store name", 32, true, false, null).also(Names::storeName);
    /** The user recorded as owner and actor. */
    public static final Rule USER = new Rule("user", 128, true, false, null);
    /** A metric's name on an artifact ({@code val_loss}): compared exactly, like a parameter's name. */
    public static final Rule METRIC_NAME = new Rule("metric name", 128, true, false, null);
    /** Most metrics on one artifact. */
    public static final int MAX_METRICS = 100;

    private static final int SHOWN_CHARACTERS = 60;

    private Names() {
    }

    private static final Pattern STORE_NAME_CHARACTERS = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    /** Why a store name is refused, or null if it is allowed. */
    private static String storeName(String name) {
        if (!STORE_NAME_CHARACTERS.matcher(name).matches()) {
            return "is not valid; use 1-32 lowercase letters, digits, '_' or '-', starting with a letter or digit";
        }
        if (name.equals("default")) {
            return "is the name of the home's own artifact root; choose another name";
        }
        return null;
    }

    /** Why an artifact name has a part too long for a file name, or null if none is. */
    private static String longPart(String name) {
        for (String part : name.split("/", -1)) {
            int bytes = part.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_NAME_PART_BYTES) {
                boolean whole = part.length() == name.length();
                return "has " + (whole ? "" : "a part ('" + shown(part) + "') of ") + bytes + " bytes in UTF-8; the limit is "
                        + MAX_NAME_PART_BYTES + " bytes " + (whole ? "" : "per part between slashes ")
                        + "(a character outside ASCII takes 2 to 4), as each part becomes a file or folder name. "
                        + "Choose a shorter name";
            }
        }
        return null;
    }

    /** Checks a task's user tags: each a valid {@link #TAG}, at most {@link #MAX_TAGS}. */
    public static void checkTags(Collection<String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new InvalidArgumentException("a task has " + tags.size() + " tags; the limit is " + MAX_TAGS + " tags");
        }
        tags.forEach(TAG::check);
    }

    /** Checks a task's parameters: names and values, at most {@link #MAX_PARAMS}. */
    public static void checkParams(Map<String, String> params) {
        if (params.size() > MAX_PARAMS) {
            throw new InvalidArgumentException("a task has " + params.size() + " parameters; the limit is " + MAX_PARAMS
                    + " parameters");
        }
        params.forEach((k, v) -> {
            if (k == null) {
                throw new InvalidArgumentException("a parameter has no name; give every parameter a name");
            }
            PARAM_NAME.check(k);
            if (v == null) {
                throw new InvalidArgumentException("parameter '" + printable(k) + "' has no value; give a text value (it may be empty)");
            }
            PARAM_VALUE.check(v);
        });
    }

    /**
     * Checks metrics given for an artifact: each name a valid {@link #METRIC_NAME}, each value a
     * finite number (not NaN or infinite), at most {@link #MAX_METRICS}.
     */
    public static void checkMetrics(Map<String, Double> metrics) {
        if (metrics.size() > MAX_METRICS) {
            throw new InvalidArgumentException("an artifact has " + metrics.size() + " metrics; the limit is " + MAX_METRICS
                    + " metrics");
        }
        metrics.forEach((k, v) -> {
            if (k == null) {
                throw new InvalidArgumentException("a metric has no name; give every metric a name, e.g. val_loss=0.31");
            }
            METRIC_NAME.check(k);
            if (v == null || v.isNaN() || v.isInfinite()) {
                throw new InvalidArgumentException("metric '" + printable(k) + "' is " + (v == null ? "missing its value" : v)
                        + "; give a finite number, e.g. " + printable(k) + "=0.31");
            }
        });
    }

    /**
     * {@code text} as it can be shown on one line: a backslash is doubled, line breaks and tabs
     * become {@code \n}, {@code \r}, {@code \t}, and any other character Reclaim refuses in names
     * becomes {@code \}{@code uXXXX}. Such text cannot forge lines or reorder what follows it.
     */
    public static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (refusal(text, i) != null) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Why the character at {@code i} is refused in any name, or null if it is allowed. */
    private static String refusal(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return "the control character " + codePoint(c);
        }
        if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            return codePoint(c) + ", a bidirectional-text control that makes text display in a misleading order";
        }
        if (c == 0x2028 || c == 0x2029) {
            return codePoint(c) + ", a line or paragraph separator";
        }
        if (Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
            return "an unpaired surrogate " + codePoint(c) + ", which is not a character";
        }
        return null;
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }

    /** The text shown in a message: printable, and cut short when long. */
    private static String shown(String s) {
        String p = printable(s);
        if (p.codePointCount(0, p.length()) <= SHOWN_CHARACTERS) {
            return p;
        }
        return p.substring(0, p.offsetByCodePoints(0, SHOWN_CHARACTERS)) + "...";
    }

    /**
     * The rule for one kind of name.
     */
    public static final class Rule {
        private final String label;
        private final int max;
        private final boolean exactEdges;
        private final boolean mayBeEmpty;
        private final Pattern identifier;
        private final Function<String, String> extra;

        private Rule(String label, int max, boolean exactEdges, boolean mayBeEmpty, Pattern identifier) {
            this(label, max, exactEdges, mayBeEmpty, identifier, v -> null);
        }

        private Rule(String label, int max, boolean exactEdges, boolean mayBeEmpty, Pattern identifier,
                     Function<String, String> extra) {
            this.label = label;
            this.max = max;
            this.exactEdges = exactEdges;
            this.mayBeEmpty = mayBeEmpty;
            this.identifier = identifier;
            this.extra = extra;
        }

        /** This rule plus one more check, which returns why a value is refused or null. */
        private Rule also(Function<String, String> more) {
            return new Rule(label, max, exactEdges, mayBeEmpty, identifier, more);
        }

        /** What the value is called in messages, e.g. {@code task name}. */
        public String label() {
            return label;
        }

        /** Most characters (code points) allowed. */
        public int max() {
            return max;
        }

        /**
         * Returns {@code value} if it is allowed.
         *
         * @throws InvalidArgumentException naming this kind, what is wrong and the limit
         */
        public String check(String value) {
            if (value == null || (!mayBeEmpty && value.isEmpty())) {
                throw new InvalidArgumentException(label + " is empty; give 1 to " + max + " characters");
            }
            if (identifier != null && !identifier.matcher(value).matches()) {
                throw new InvalidArgumentException(label + " '" + shown(value) + "' is not valid; use 1-" + max
                        + " letters, digits, '.', '_' or '-'");
            }
            for (int i = 0; i < value.length(); i++) {
                String why = refusal(value, i);
                if (why != null) {
                    throw new InvalidArgumentException(label + " '" + shown(value) + "' contains " + why + " (at character "
                            + (value.codePointCount(0, i) + 1) + "); remove it. No name may contain control characters "
                            + "(line breaks, tabs, escapes) or bidirectional-text controls");
                }
            }
            int length = value.codePointCount(0, value.length());
            if (length > max) {
                throw new InvalidArgumentException(label + " is " + length + " characters long; the limit is " + max
                        + " characters");
            }
            if (exactEdges && (isSpace(value.codePointAt(0)) || isSpace(value.codePointBefore(value.length())))) {
                throw new InvalidArgumentException(label + " '" + shown(value) + "' starts or ends with a space; remove it, "
                        + "or two names that look the same would differ");
            }
            String why = extra.apply(value);
            if (why != null) {
                throw new InvalidArgumentException(label + " '" + shown(value) + "' " + why);
            }
            return value;
        }

        private static boolean isSpace(int codePoint) {
            return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
        }

        /** As {@link #check}, but {@code null} passes (an optional value left unset). */
        public String checkOptional(String value) {
            return value == null ? null : check(value);
        }
    }
}
