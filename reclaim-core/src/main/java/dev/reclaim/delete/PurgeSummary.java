package dev.reclaim.delete;

import java.util.List;

/**
 * What one purge pass over the pending-delete queue did.
 *
 * @param objects  objects now gone (deleted or already absent)
 * @param bytes    their recorded size
 * @param failures objects still queued after this call's attempts, each with its reason
 */
public record PurgeSummary(long objects, long bytes, List<String> failures) {
    public PurgeSummary {
        failures = List.copyOf(failures);
    }
}
