package dev.reclaim;

/** No task with the given id exists (never did, or it was deleted). */
public class TaskNotFoundException extends NotFoundException {
    private final String taskId;

    public TaskNotFoundException(String taskId) {
        super("no task with id " + taskId);
        this.taskId = taskId;
    }

    /** The id that was not found. */
    public String taskId() {
        return taskId;
    }
}
