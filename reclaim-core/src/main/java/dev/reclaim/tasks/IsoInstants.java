package dev.reclaim.tasks;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} without the general formatter: a page of 50 tasks shows some 200
 * instants, and the formatter was a tenth of the server's time for a task listing. Same text for
 * every instant (years 0000–9999 take the fast path, others the JDK's).
 */
final class IsoInstants {
    /** 10000-01-01T00:00:00Z: from there on years need more than four digits. */
    private static final long YEAR_10000 = 253_402_300_800L;

    private IsoInstants() {
    }

    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < -62_167_219_200L || seconds >= YEAR_10000) { // before year 0 or after 9999
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        int nano = instant.getNano();
        StringBuilder b = new StringBuilder(30);
        digits(b, date.getYear(), 4).append('-');
        digits(b, date.getMonthValue(), 2).append('-');
        digits(b, date.getDayOfMonth(), 2).append('T');
        digits(b, secondOfDay / 3600, 2).append(':');
        digits(b, secondOfDay / 60 % 60, 2).append(':');
        digits(b, secondOfDay % 60, 2);
        if (nano != 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) {
                digits(b, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(b, nano / 1_000, 6);
            } else {
                digits(b, nano, 9);
            }
        }
        return b.append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
