package dev.reclaim.tasks;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Names;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;

import java.util.Map;
import java.util.Set;

/**
 * What {@link Tasks#create} needs for a new catalog task.
 *
 * @param name     required, not blank; the limits of {@link Names#TASK_NAME} apply, as to every text below
 * @param project  project; {@code default} if null
 * @param type     task type; {@code training} if null
 * @param status   initial status; CREATED (draft) if null. QUEUED and RUNNING are refused: only
 *                 workers put tasks there
 * @param tags     user tags, at most {@link Names#MAX_TAGS}
 * @param parentId parent task, or null
 * @param params   free-form parameters, at most {@link Names#MAX_PARAMS}
 */
public record NewTask(String name, String project, String type, TaskStatus status, Set<String> tags, String parentId,
                      Map<String, String> params) {
    /** Type recorded when none is given. */
    public static final String DEFAULT_TYPE = "training";

    public NewTask {
        if (name == null || name.isBlank()) {
            throw new InvalidArgumentException("a task needs a name: pass --name NAME");
        }
        Names.TASK_NAME.check(name);
        project = project == null || project.isBlank() ? Task.DEFAULT_PROJECT : Names.PROJECT.check(project);
        type = type == null || type.isBlank() ? DEFAULT_TYPE : Names.TYPE.check(type);
        status = status == null ? TaskStatus.CREATED : status;
        if (status == TaskStatus.QUEUED || status == TaskStatus.RUNNING) {
            throw new InvalidArgumentException("a new task cannot start as " + status
                    + "; create it as a draft and submit or enqueue it instead");
        }
        if (tags != null) {
            Names.checkTags(tags);
        }
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        if (params != null) {
            Names.checkParams(params);
        }
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** A draft named {@code name} in the default project. */
    public static NewTask draft(String name) {
        return new NewTask(name, null, null, null, Set.of(), null, Map.of());
    }
}
