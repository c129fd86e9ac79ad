package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.JobStatus;
import dev.reclaim.query.TimeCondition;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Option value converters; a bad value becomes a usage error (exit 2) that shows the accepted form. */
final class Converters {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Converters() {
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601 such as {@code PT5S}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    /**
     * A whole number in words: picocli's own message says "'x' is not an int", naming a Java type.
     */
    static final class WholeNumberConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String s = value.trim();
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new TypeConversionException(s.matches("[-+]?\\d+")
                        ? "'" + value + "' is out of range; give a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                        : "'" + value + "' is not a whole number; write digits only, e.g. 50");
            }
        }
    }

    /** A job state, case-insensitive. */
    static final class StateConverter implements ITypeConverter<JobStatus> {
        @Override
        public JobStatus convert(String value) {
            try {
                return JobStatus.parse(value);
            } catch (InvalidArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An instant: ISO-8601 UTC or epoch seconds. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return TimeCondition.parseInstant("time", value.trim());
            } catch (InvalidArgumentException | ArithmeticException e) {
                throw new TypeConversionException("'" + value + "' is not a time; use ISO-8601 UTC like "
                        + "2026-01-01T00:00:00Z or epoch seconds like 1767225600");
            }
        }
    }

    static Duration parseDuration(String value) {
        String s = value.trim();
        Matcher m = SHORT_DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 500ms, 5s, 2m, 1h, 1d "
                + "or ISO-8601 like PT5S");
    }
}
