package dev.reclaim.query;

import dev.reclaim.InvalidArgumentException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One condition on a timestamp: an operator and an instant. Parsed from strings such as
 * {@code >=2026-01-01T00:00:00Z}, {@code <1767225600} (epoch seconds) or {@code 2026-01-01T00:00:00Z}
 * (no operator means equal). Several conditions on one field are ANDed.
 *
 * @param op    comparison
 * @param value the instant compared with
 */
public record TimeCondition(Op op, Instant value) {

    /** Comparison operators. */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** The SQL/query-language symbol of this operator. */
        public String symbol() {
            return symbol;
        }
    }

    public TimeCondition {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
    }

    /** True when {@code t} satisfies this condition; a null time satisfies nothing. */
    public boolean test(Instant t) {
        if (t == null) {
            return false;
        }
        int c = t.compareTo(value);
        return switch (op) {
            case GT -> c > 0;
            case GE -> c >= 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case EQ -> c == 0;
        };
    }

    /**
     * Parses {@code [op]time} where op is one of {@code > >= < <= =} and time is ISO-8601 UTC
     * ({@code 2026-01-01T00:00:00Z}) or epoch seconds.
     *
     * @param field the field name, used in the error message
     * @throws InvalidArgumentException saying what is wrong and showing a valid example
     */
    public static TimeCondition parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidArgumentException(field + ": empty time condition; write e.g. '<2026-01-01T00:00:00Z' or '>=1767225600'");
        }
        String s = text.trim();
        Op op = Op.EQ;
        if (s.startsWith(">=")) { op = Op.GE; s = s.substring(2); }
        else if (s.startsWith("<=")) { op = Op.LE; s = s.substring(2); }
        else if (s.startsWith(">")) { op = Op.GT; s = s.substring(1); }
        else if (s.startsWith("<")) { op = Op.LT; s = s.substring(1); }
        else if (s.startsWith("=")) { op = Op.EQ; s = s.substring(1); }
        s = s.trim();
        if (s.isEmpty() || s.startsWith("<") || s.startsWith(">") || s.startsWith("=")) {
            throw new InvalidArgumentException(field + ": bad operator in '" + text
                    + "'; use one of >, >=, <, <= (or none for equal) followed by a time, e.g. '<2026-01-01T00:00:00Z'");
        }
        return new TimeCondition(op, parseInstant(field, s));
    }

    /**
     * Parses an ISO-8601 UTC instant or epoch seconds.
     *
     * @throws InvalidArgumentException saying what is wrong and showing a valid example
     */
    public static Instant parseInstant(String field, String s) {
        if (s.matches("-?\\d{1,12}(\\.\\d{1,9})?")) {
            BigDecimal secs = new BigDecimal(s);
            long whole = secs.longValue();
            long nanos = secs.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException(field + ": '" + s
                    + "' is not a time; use ISO-8601 UTC like 2026-01-01T00:00:00Z or epoch seconds like 1767225600");
        }
    }

    @Override
    public String toString() {
        return (op == Op.EQ ? "" : op.symbol()) + value;
    }
}
