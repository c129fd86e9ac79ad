package dev.reclaim.fsck;

import dev.reclaim.delete.Deleter;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.model.Artifact;
import dev.reclaim.store.ConsistencyChecks;
import dev.reclaim.store.DeletionQueue;
import dev.reclaim.store.DetachedModel;
import dev.reclaim.store.MarkResult;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of {@link Fsck} about models detached from their deleted task that no live task uses.
 * One kept only for its users is a leak (versions before such models were deleted with their last
 * user left them, and so does a task that drops its input through the store): repair deletes it
 * through the deletion queue. Published models and models kept on request are kept by design and
 * only listed, with how to remove them.
 */
final class DetachedModelCheck {
    private static final int BATCH = 1000;
    /** Actor of repairs in the audit trail. */
    static final String ACTOR = "fsck";

    private final ConsistencyChecks checks;
    private final DeletionQueue queue;
    private final Deleter deleter;
    private final Clock clock;

    DetachedModelCheck(ConsistencyChecks checks, DeletionQueue queue, Deleter deleter, Clock clock) {
        this.checks = checks;
        this.queue = queue;
        this.deleter = deleter;
        this.clock = clock;
    }

    DetachedModelsFound run(boolean repair) {
        List<String> unused = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        long unusedCount = 0;
        long keptCount = 0;
        boolean queued = false;
        String after = null;
        while (true) {
            List<DetachedModel> page = checks.unusedDetachedModels(after, BATCH);
            if (page.isEmpty()) {
                break;
            }
            for (DetachedModel d : page) {
                Artifact m = d.model();
                String line = m.id() + " (" + m.storageKey() + ", " + m.sizeBytes() + " bytes)";
                if (d.keptByDesign()) {
                    keptCount++;
                    if (kept.size() < FsckReport.LISTED) {
                        kept.add(line + ": " + (m.published() ? "published" : "kept on request"));
                    }
                    continue;
                }
                unusedCount++;
                if (unused.size() < FsckReport.LISTED) {
                    unused.add(line);
                }
                if (repair) {
                    MarkResult r = queue.removeDetachedModel(m.id(), false, ACTOR,
                            "fsck --repair: detached model with no owner and no user", clock.instant());
                    queued |= r.outcome() == MarkResult.Outcome.MARKED;
                }
            }
            after = page.get(page.size() - 1).model().id();
        }
        if (queued) {
            deleter.purge(null, DeletionListener.NONE);
        }
        return new DetachedModelsFound(unused, unusedCount, kept, keptCount);
    }
}
