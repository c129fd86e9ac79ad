package dev.reclaim.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What marking one task for deletion did.
 *
 * @param outcome         what happened
 * @param reason          for REFUSED and CHANGED: why, in words
 * @param updatedChildren children whose parent was replaced by the deleted-parent marker
 * @param keptModelIds    output models detached and kept (published, used by another live task, or
 *                        deleteOutputModels=false)
 * @param deletedModels   models marked for deletion: output models, and models detached from an
 *                        earlier deleted task that this task was the last live user of (neither
 *                        published nor kept on request)
 * @param markedArtifacts artifacts (all kinds) marked for deletion, those detached models included
 * @param queued          storage keys written to the pending-delete queue (referenced by no live
 *                        artifact), in order, each with the recorded size of its object
 */
public record MarkResult(Outcome outcome, String reason, int updatedChildren, List<String> keptModelIds,
                         int deletedModels, int markedArtifacts, Map<String, Long> queued) {

    /** Outcome of a mark. */
    public enum Outcome {
        /** Marked; the deletion will complete, now or on resume. */
        MARKED,
        /** The task changed since eligibility was decided (version differs), or its deletion already started. */
        CHANGED,
        /** No such task. */
        NOT_FOUND,
        /** Refused: published children or published output models and refusePublished was set. */
        REFUSED
    }

    public MarkResult {
        keptModelIds = List.copyOf(keptModelIds);
        queued = Collections.unmodifiableMap(new LinkedHashMap<>(queued));
    }

    /** The storage keys written to the pending-delete queue, in order. */
    public List<String> queuedKeys() {
        return List.copyOf(queued.keySet());
    }

    /** The recorded size of the queued objects. */
    public long queuedBytes() {
        return queued.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A result for an outcome that changed nothing. */
    public static MarkResult unchanged(Outcome outcome, String reason) {
        return new MarkResult(outcome, reason, 0, List.of(), 0, 0, Map.of());
    }
}
