package dev.reclaim.audit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditQuery;
import dev.reclaim.store.AuditTrail;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.RunHistory;

import java.util.Optional;

/**
 * Reads what was deleted, by whom and why: the audit trail (one line per finished deletion, kept for
 * good) and the Cleanup Service runs that made them. Nothing here writes; the lines are written by
 * the deletion engine in the transaction that finishes each deletion.
 */
public final class AuditLog {
    private final AuditTrail trail;
    private final RunHistory runs;

    /** Reads from a task store that keeps the audit trail and the run history. */
    public <S extends AuditTrail & RunHistory> AuditLog(S store) {
        this.trail = store;
        this.runs = store;
    }

    /** A page of the audit lines the query selects, newest first, with where the next page starts. */
    public AuditPage lines(AuditQuery query) {
        return trail.audit(query);
    }

    /** The report of the Cleanup Service run with this id; empty when there is none. */
    public Optional<CleanupRun> run(String runId) {
        return runs.cleanupRun(runId);
    }

    /**
     * A page of the tasks a Cleanup Service run deleted, from the audit trail, so every one of them
     * is listed however many there were (a run's report keeps its first
     * {@value CleanupRun#MAX_ITEMS_KEPT} lines).
     *
     * @throws InvalidArgumentException when no run has this id
     */
    public AuditPage deletedBy(String runId, String cursor, int limit) {
        if (runs.cleanupRun(runId).isEmpty()) {
            throw new InvalidArgumentException("there is no cleanup run '" + runId + "'; 'reclaim cleanup history' "
                    + "lists the runs with their ids");
        }
        return trail.audit(new AuditQuery(null, runId, null, null, cursor, limit));
    }
}
