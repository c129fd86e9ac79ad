package dev.reclaim.holds;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.NotFoundException;
import dev.reclaim.store.HoldStore;
import dev.reclaim.store.HoldStore.Hold;
import dev.reclaim.store.HoldStore.HoldChange;

import java.time.Clock;
import java.util.List;

/**
 * Holds ({@code reclaim tasks hold}, {@code reclaim holds}, {@code /api/v1/holds}): a task or an
 * artifact on hold is deleted by no rule, no Cleanup Service run and no delete without force; a
 * delete with force releases its holds, audited. Every hold and release is an audit line.
 */
public final class Holds {
    /** Most holds in one page of {@link #list}. */
    public static final int MAX_PAGE = 1000;

    private final HoldStore store;
    private final Clock clock;
    private final String user;

    /**
     * @param store where holds are kept
     * @param clock time source
     * @param user  who holds and releases, for the audit trail
     */
    public Holds(HoldStore store, Clock clock, String user) {
        this.store = store;
        this.clock = clock;
        this.user = user;
    }

    /**
     * Puts a task on hold, with everything it holds.
     *
     * @return false when it already was
     * @throws NotFoundException when no live task has the id
     */
    public boolean holdTask(String taskId, String reason) {
        return changed(store.holdTask(taskId, user, reason, clock.instant()), "task", taskId);
    }

    /**
     * Takes a task off hold (its artifacts' own holds stay).
     *
     * @return false when it was not on hold
     * @throws NotFoundException when no live task has the id
     */
    public boolean releaseTask(String taskId, String reason) {
        return changed(store.releaseTask(taskId, user, reason, clock.instant()), "task", taskId);
    }

    /**
     * Puts an artifact on hold.
     *
     * @param taskId the task it must belong to, or null for any (a detached model)
     * @return false when it already was
     * @throws NotFoundException when no LIVE artifact has the id, or it is not the task's
     */
    public boolean holdArtifact(String taskId, String artifactId, String reason) {
        HoldChange c = store.holdArtifact(taskId, artifactId, user, reason, clock.instant());
        if (c.outcome() == HoldChange.Outcome.NOT_FOUND && taskId != null) {
            throw new NotFoundException("task " + taskId + " has no live artifact " + artifactId + " (it is not an artifact of "
                    + "task " + taskId + ", or is being deleted); list its artifacts with: reclaim tasks artifacts list " + taskId);
        }
        return changed(c, "artifact", artifactId);
    }

    /**
     * Takes an artifact off hold.
     *
     * @return false when it was not on hold
     * @throws NotFoundException when there is no such artifact
     */
    public boolean releaseArtifact(String artifactId, String reason) {
        return changed(store.releaseArtifact(artifactId, user, reason, clock.instant()), "artifact", artifactId);
    }

    /**
     * A page of holds, oldest first.
     *
     * @param cursor the {@link Page#nextCursor()} of the previous page, or null for the first
     * @param limit  1..{@value #MAX_PAGE}
     */
    public Page list(String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidArgumentException("limit must be between 1 and " + MAX_PAGE + ", got " + limit);
        }
        // one more than asked: whether another page follows, without an empty last page
        List<Hold> found = store.holds(cursor, limit + 1);
        List<Hold> page = found.size() > limit ? found.subList(0, limit) : found;
        return new Page(page, found.size() > limit ? page.get(page.size() - 1).position() : null);
    }

    /**
     * A page of holds.
     *
     * @param holds      oldest first
     * @param nextCursor where the next page starts; null on the last page
     */
    public record Page(List<Hold> holds, String nextCursor) {
        public Page {
            holds = List.copyOf(holds);
        }
    }

    private static boolean changed(HoldChange c, String what, String id) {
        return switch (c.outcome()) {
            case CHANGED -> true;
            case UNCHANGED -> false;
            case NOT_FOUND -> throw new NotFoundException("no live " + what + " with id " + id + ("task".equals(what)
                    ? "; find ids with: reclaim tasks list" : "; list a task's artifacts with: reclaim tasks artifacts list TASK"));
        };
    }
}
