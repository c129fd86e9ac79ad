package dev.reclaim.cleanup;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Task;

import java.time.Instant;
import java.util.Locale;

/** Which timestamp a task's age is measured from. */
public enum AgeBasis {
    /** When it was archived (default): the retention clock starts at archiving. */
    ARCHIVED_AT,
    /** When its status last changed: the original service's behaviour. */
    STATUS_CHANGED;

    /** The setting's value as written in config: {@code archived_at} or {@code status_changed}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The timestamp of {@code t} its age is measured from (null if it has none). */
    public Instant of(Task t) {
        return this == ARCHIVED_AT ? t.archivedAt() : t.statusChangedAt();
    }

    /**
     * Parses {@code archived_at} or {@code status_changed} (case-insensitive).
     *
     * @throws InvalidArgumentException naming the accepted values
     */
    public static AgeBasis parse(String s) {
        if (s != null) {
            for (AgeBasis b : values()) {
                if (b.value().equalsIgnoreCase(s.trim()) || b.name().equalsIgnoreCase(s.trim())) {
                    return b;
                }
            }
        }
        throw new InvalidArgumentException("age_basis: '" + s + "' is not valid; use archived_at or status_changed");
    }
}
