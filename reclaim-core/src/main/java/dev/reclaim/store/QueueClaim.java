package dev.reclaim.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Open queue entries of one task that one process has claimed and is purging (or was, if it died).
 *
 * @param taskId    the task the entries were queued for (null: queued by a repair)
 * @param claimedBy the claimant as stored ({@link ProcessIdentity#encode}), or null when the claim does not say
 * @param until     when the last of these claims runs out; another purger may take them then
 * @param entries   how many entries
 */
public record QueueClaim(String taskId, String claimedBy, Instant until, long entries) {
    /** The claimant, when the claim names one in a readable form. */
    public Optional<ProcessIdentity> holder() {
        return ProcessIdentity.parse(claimedBy);
    }
}
