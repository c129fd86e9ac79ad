package dev.reclaim.jobs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.JobStatus;

import java.time.Instant;
import java.util.Set;

/**
 * Which jobs {@link Jobs#list} returns.
 *
 * @param states    only these states; empty for all
 * @param startTime only jobs submitted at or after this instant (inclusive); null for no bound
 * @param endTime   only jobs submitted at or before this instant (inclusive); null for no bound
 */
public record JobFilter(Set<JobStatus> states, Instant startTime, Instant endTime) {
    public JobFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
        if (startTime != null && endTime != null && startTime.isAfter(endTime)) {
            throw new InvalidArgumentException("start time " + startTime + " is after end time " + endTime
                    + "; swap them or drop one");
        }
    }

    /** Every job. */
    public static JobFilter all() {
        return new JobFilter(Set.of(), null, null);
    }
}
