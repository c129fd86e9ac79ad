package dev.reclaim.delete;

import java.util.List;

/**
 * What one purge pass over the pending-delete queue did.
 *
 * @param objects  objects deleted (that existed; those already absent are gone too, but not counted)
 * @param bytes    their recorded size
 * @param failures objects still queued after this call's attempts, each with its reason
 */
public record PurgeSummary(long objects, long bytes, List<String> failures) {
    public PurgeSummary {
        failures = List.copyOf(failures);
    }
}
