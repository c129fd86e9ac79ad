package dev.reclaim.cleanup;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the Cleanup Service with given settings would delete and free today and after some days
 * ({@link CleanupService#forecast}).
 *
 * @param at       when the forecast was made
 * @param settings the settings it assumed
 * @param horizons one per look-ahead, in the order asked
 */
public record Forecast(Instant at, Map<String, String> settings, List<Horizon> horizons) {
    /** The longest look-ahead, in days. */
    public static final int MAX_DAYS = 3650;

    public Forecast {
        settings = Map.copyOf(settings);
        horizons = List.copyOf(horizons);
    }

    /**
     * What a run that many days from now would delete, if nothing else changed meanwhile.
     *
     * @param days     the look-ahead
     * @param tasks    tasks it would delete
     * @param objects  objects it would free
     * @param bytes    bytes it would free
     * @param skipped  candidates it would keep (a rule or a protection)
     * @param projects the same per project, most bytes first
     */
    public record Horizon(int days, long tasks, long objects, long bytes, long skipped, List<ProjectTotal> projects) {
        public Horizon {
            projects = List.copyOf(projects);
        }
    }

    /** A project's part of a horizon. */
    public record ProjectTotal(String project, long tasks, long objects, long bytes) {
    }
}
