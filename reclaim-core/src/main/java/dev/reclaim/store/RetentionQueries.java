package dev.reclaim.store;

import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.TaskStatus;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What retention rules read: artifacts by kind and age, and a page of tasks' artifacts with one
 * metric, each an indexed query, never a load of every artifact. One of the role ports of a
 * {@link TaskStore}; see docs/architecture.md.
 */
public interface RetentionQueries {

    /**
     * LIVE artifacts of this kind created before {@code before}, oldest first (by creation time, then
     * id), after {@code after}; of live tasks in the scope; none that a rule may not delete: on hold
     * (itself or its task), a published model, or a model another live task uses.
     *
     * @param after the last artifact of the previous page, or null for the first
     */
    List<RetainedArtifact> artifactsCreatedBefore(TaskScope scope, ArtifactKind kind, Instant before, RetainedArtifact after,
                                                  int limit);

    /**
     * The LIVE artifacts of these kinds of these tasks, each with its value of {@code metric} (null
     * when it has none, or no metric is named) and whether a rule may delete it.
     */
    List<RetainedArtifact> artifactsOfTasks(Collection<String> taskIds, Set<ArtifactKind> kinds, String metric);

    /**
     * Which tasks a rule looks at.
     *
     * @param projects only these projects (empty: any)
     * @param tags     only tasks carrying all of these tags
     * @param statuses only these statuses (empty: any)
     * @param archived only archived (true), only not archived (false), or both (null)
     */
    record TaskScope(Set<String> projects, Set<String> tags, Set<TaskStatus> statuses, Boolean archived) {
        public TaskScope {
            projects = Set.copyOf(projects);
            tags = Set.copyOf(tags);
            statuses = Set.copyOf(statuses);
        }
    }

    /**
     * An artifact as a rule sees it.
     *
     * @param id        the artifact
     * @param taskId    its task
     * @param project   its task's project
     * @param kind      its kind
     * @param createdAt when it was registered
     * @param sizeBytes its size
     * @param metric    the value of the metric asked for, or null
     * @param deletable false when on hold (itself or its task), a published model, or another live task's input
     */
    record RetainedArtifact(String id, String taskId, String project, ArtifactKind kind, Instant createdAt, long sizeBytes,
                            Double metric, boolean deletable) {
    }
}
