package dev.reclaim.store;

import java.util.List;
import java.util.Objects;

/**
 * What {@link TaskStore#previewAllDeletions} found for one page of a dry run.
 *
 * @param results   one result per mark, in order, as {@link TaskStore#markAllForDeletion} would give
 * @param simulated the previewed marks so far, this page's included, for the next page
 */
public record DeletionPreview(List<MarkResult> results, SimulatedDeletions simulated) {
    public DeletionPreview {
        results = List.copyOf(results);
        Objects.requireNonNull(simulated, "simulated");
    }
}
