package dev.reclaim.store;

import dev.reclaim.model.Artifact;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What fsck reads and repairs: keys and tasks the store knows, orphans, detached models, dangling
 * records, damage. One of the role ports of a {@link TaskStore}; see docs/architecture.md.
 */
public interface ConsistencyChecks {


    /**
     * The ids among {@code taskIds} of tasks this store has, or had: a task record, or an audit
     * record of a finished deletion (kept for good). fsck deletes an object in a task's folder
     * without a record only when this store knew the task, so a folder it never wrote (another
     * store's, one left from before a database restore) is not taken for its own.
     */
    Set<String> knownTaskIds(Collection<String> taskIds);

    /** LIVE artifacts with an id greater than {@code afterId} (null: from the start), by id, at most {@code limit}. */
    List<Artifact> liveArtifactsAfter(String afterId, int limit);

    /**
     * Queues objects no record names (orphans) for deletion; a key an artifact record names is skipped.
     *
     * @return how many were queued
     */
    int enqueueOrphans(Collection<String> keys, Instant at);

    /**
     * Models detached from their deleted task (task id null, LIVE) that no live task uses as input,
     * with an id greater than {@code afterId} (null: from the start), by id, at most {@code limit}.
     * Published ones and ones kept on request are included: {@link DetachedModel#keptByDesign()}
     * tells them apart.
     */
    List<DetachedModel> unusedDetachedModels(String afterId, int limit);


    /**
     * Removes a LIVE artifact record whose object is missing (and input references to it).
     *
     * @return false if there was no such LIVE record
     */
    boolean dropDanglingArtifact(String artifactId);

    /**
     * Damage the backend finds in its own storage (SQLite: {@code PRAGMA quick_check}), one line
     * per problem, at most 100; empty when it finds none or has no such check. Its cost grows
     * with the size of the database, so it runs without the query time limit; for fsck.
     */
    default List<String> integrityProblems() {
        return List.of();
    }
}
