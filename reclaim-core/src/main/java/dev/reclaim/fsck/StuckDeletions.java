package dev.reclaim.fsck;

import dev.reclaim.store.DeletionQueue;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.QueueClaim;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says, for each stuck deletion, why it has not finished and when it will: who holds claims on
 * its queue entries and until when, and whether that process is known to be gone (then the next
 * cleanup or {@code fsck --repair} takes them over at once).
 */
final class StuckDeletions {
    private static final String FINISHES_NEXT = "the next cleanup or fsck --repair finishes it";
    /** How long a queued entry of no task may wait unclaimed before fsck calls it stranded. */
    static final Duration UNATTENDED_AFTER = Duration.ofMinutes(5);
    private static final String NO_TASK = " of no task (an orphan or unmanaged object queued for deletion)";

    private final DeletionQueue store;
    private final ProcessIdentity self;

    StuckDeletions(DeletionQueue store, ProcessIdentity self) {
        this.store = store;
        this.self = self;
    }

    /** One explanation per task, in order. */
    List<String> explain(List<String> taskIds, Instant now) {
        Map<String, List<QueueClaim>> byTask = new HashMap<>();
        for (QueueClaim c : store.queueClaims(taskIds, now)) {
            byTask.computeIfAbsent(c.taskId(), k -> new ArrayList<>()).add(c);
        }
        List<String> out = new ArrayList<>(taskIds.size());
        for (String id : taskIds) {
            List<QueueClaim> claims = byTask.getOrDefault(id, List.of());
            if (claims.isEmpty()) {
                out.add("no process holds it (its last run stopped, or some objects failed and wait to be retried); "
                        + FINISHES_NEXT);
            } else {
                List<String> parts = new ArrayList<>();
                for (QueueClaim c : claims) {
                    parts.add(explain(c));
                }
                out.add(String.join("; ", parts));
            }
        }
        return out;
    }

    /**
     * Queue entries of no task (orphans a repair queued, objects a person named for deletion) that
     * nothing will finish soon, each group explained: those claimed by processes known to be gone,
     * and those nobody has claimed {@link #UNATTENDED_AFTER} after they were queued (the process
     * that queued them stopped first; younger ones may be about to be claimed by it). No task's
     * deletion waits for them, so nothing else would say why their objects are still there.
     */
    List<String> stranded(Instant now) {
        List<String> out = new ArrayList<>();
        for (QueueClaim c : store.queueClaims(null, now)) {
            if (c.taskId() == null && c.holder().map(h -> self.judge(h) == ProcessIdentity.Liveness.DEAD).orElse(false)) {
                out.add(explain(c, NO_TASK));
            }
        }
        long unattended = store.unattendedDeletions(now, now.minus(UNATTENDED_AFTER));
        if (unattended > 0) {
            out.add(unattended + " queue entr" + (unattended == 1 ? "y" : "ies") + NO_TASK + " queued over "
                    + UNATTENDED_AFTER.toMinutes() + " minutes ago, and no process is working on them (the one that "
                    + "queued them stopped); the next cleanup or fsck --repair finishes them");
        }
        return out;
    }

    private String explain(QueueClaim c) {
        return explain(c, "");
    }

    private String explain(QueueClaim c, String whose) {
        String until = c.until().truncatedTo(ChronoUnit.SECONDS).toString();
        String what = c.entries() + " queue entr" + (c.entries() == 1 ? "y" : "ies") + whose;
        if (c.holder().isEmpty()) {
            return what + " claimed until " + until + " by a process that did not say which it is; it will be resumed then";
        }
        ProcessIdentity holder = c.holder().get();
        String claimed = what + " claimed by " + holder.describe() + " until " + until
                + "; it will be resumed then, or now if that process is gone";
        return switch (self.judge(holder)) {
            case DEAD -> claimed + ": it is gone, so " + FINISHES_NEXT + " now";
            case ALIVE -> claimed + ": it is still running (it may be deleting it now)";
            case UNKNOWN -> claimed + ": it runs on another host (or in another container), which cannot be checked "
                    + "from here, so only when the claim runs out";
        };
    }
}
