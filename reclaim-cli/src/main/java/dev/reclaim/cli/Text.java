package dev.reclaim.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Small formatting helpers for what the CLI prints. */
final class Text {
    private Text() {
    }

    /** A count for people, grouped the same way everywhere (progress lines and totals): {@code 1,234,567}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1.5 MiB}, {@code 120 B}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; ISO-8601 when it is not a whole unit. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (d.toNanos() % 1_000_000 != 0) {
            return d.toString();
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** An elapsed time for people: {@code 56 ms}, {@code 3.2 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
    static String elapsed(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        return s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    /** UTC ISO-8601 to the second, e.g. {@code 2026-01-01T12:00:00Z}; {@code -} for null. */
    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The text quoted for a POSIX shell when it needs it. */
    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The text with a final newline (empty stays empty). */
    static String withNewline(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }
}
