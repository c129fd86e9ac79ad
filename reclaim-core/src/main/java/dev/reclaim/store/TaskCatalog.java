package dev.reclaim.store;

import dev.reclaim.model.Task;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskSummary;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog of tasks: insert, find, change under an expected version, query. One of the role ports
 * of a {@link TaskStore}; see docs/architecture.md.
 */
public interface TaskCatalog {

    /**
     * Inserts a new task (its tags, system tags and input-model references too) with version 0.
     *
     * @throws dev.reclaim.InvalidArgumentException if an input model id names no live MODEL artifact
     * @throws dev.reclaim.StoreException           if the id exists
     */
    void insertTask(Task task);

    /**
     * Inserts many new tasks in one transaction (imports, benchmarks): all or none.
     *
     * @throws dev.reclaim.InvalidArgumentException or {@link dev.reclaim.StoreException} as {@link #insertTask}
     */
    void insertTasks(Collection<Task> tasks);

    /**
     * The tasks an import made, by import key ({@code STORE/PLACE}: the store an imported tree is in
     * and where the task is in it): import key to task id, for the keys among {@code importKeys} a
     * task has (one being deleted included).
     */
    Map<String, String> importedTasks(Collection<String> importKeys);

    /**
     * Inserts, in one transaction, each task whose import key no task has yet, and records it under
     * that key; a key a task has already keeps that task (so a repeated or resumed import adds no
     * duplicate).
     *
     * @param byImportKey the new tasks by import key
     * @return every given key's task id: the existing task's, or the inserted one's
     */
    Map<String, String> insertImportedTasks(Map<String, Task> byImportKey);

    /** The task with this id, including one being deleted; empty if there is none. */
    Optional<Task> findTask(String id);

    /**
     * Replaces every mutable field of a live task (the id and createdAt stay) if its stored version
     * still equals {@code expectedVersion} and its deletion has not started.
     *
     * @return the stored task with its new version ({@code expectedVersion + 1}); empty when the
     * condition failed (changed, being deleted or gone)
     */
    Optional<Task> replaceTask(Task updated, long expectedVersion);

    /**
     * {@link #replaceTask} of a task whose new status is PUBLISHED, and in the same transaction the
     * published flag on each of its LIVE models: a crash never leaves a published task with an
     * unpublished model, which a forced delete of the task would then delete.
     *
     * @return as {@link #replaceTask}; when empty, no model changed either
     */
    Optional<Task> publishTask(Task published, long expectedVersion);

    /**
     * Runs a query: filters, ordering, and either offset or keyset paging.
     *
     * @throws dev.reclaim.InvalidArgumentException for a cursor that is malformed or was made for another ordering
     */
    Page<Task> query(TaskQuery query);

    /** Number of tasks matching the query's filters (paging ignored). */
    long count(TaskQuery query);

    /**
     * Number of tasks matching the query's filters and the bytes of their LIVE artifacts, read
     * together (ordering and paging ignored).
     */
    TaskSummary summarize(TaskQuery query);
}
