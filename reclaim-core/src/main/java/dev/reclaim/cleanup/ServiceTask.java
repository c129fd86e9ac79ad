package dev.reclaim.cleanup;

import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.TaskCatalog;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pre-loaded {@code Cleanup Service} task (docs/rules.md section 4): a draft in project
 * {@code DevOps}, type {@code service}, whose parameters are the {@link CleanupSettings}. It has
 * one well-known id in every store, so every process finds the same task and creating it twice
 * is impossible (the second insert loses on the primary key).
 */
public final class ServiceTask {
    /** Its id in every store. */
    public static final String ID = "000000000000000000000c1ea000";
    /** Its name. */
    public static final String NAME = "Cleanup Service";
    /** Its project. */
    public static final String PROJECT = "DevOps";
    /** Its type; a worker runs tasks of this type as the Cleanup Service. */
    public static final String TYPE = "service";
    /** The queue a worker in services mode serves. */
    public static final String QUEUE = "services";
    /** System tag set by {@code tasks stop} on a running service; the service ends after its current batch. */
    public static final String STOP_REQUESTED = "stop_requested";

    private ServiceTask() {
    }

    /** True for the Cleanup Service task. */
    public static boolean is(Task t) {
        return ID.equals(t.id());
    }

    /** Creates the task with the default settings as parameters, unless it exists. */
    public static void ensure(TaskCatalog store, Instant now, String owner) {
        if (store.findTask(ID).isPresent()) {
            return;
        }
        Task t = Task.builder(ID, NAME, now).project(PROJECT).type(TYPE).owner(owner).status(TaskStatus.CREATED)
                .params(new TreeMap<>(CleanupSettings.defaults().toMap())).build();
        try {
            store.insertTask(t);
        } catch (RuntimeException e) {
            // Another process created it at the same moment: the primary key kept one.
            if (store.findTask(ID).isEmpty()) {
                throw e;
            }
        }
    }

    /**
     * Why deleting the task {@code t} needs force, naming what would be lost: its settings (its
     * parameters), its console output and run history. Null for any other task.
     */
    public static String deletionNeedsForce(Task t) {
        if (!is(t)) {
            return null;
        }
        StringBuilder settings = new StringBuilder();
        new TreeMap<>(t.params()).forEach((k, v) -> settings.append(settings.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return "task " + ID + " is the Cleanup Service; deleting it loses its settings (" + settings
                + "), its console output and its run history, and a fresh one with the default settings takes its place; "
                + "pass force to delete it anyway";
    }

    /**
     * After a forced deletion of the task: a fresh one with the default settings, at once, so
     * every process keeps finding the service where it expects it.
     */
    public static void replaceAfterDeletion(TaskCatalog store, Instant now) {
        ensure(store, now, "reclaim");
    }

    /** The settings in the task's parameters, validated; errors name the task. */
    public static CleanupSettings settings(Map<String, String> params) {
        return CleanupSettings.fromMap(params, "the parameters of the Cleanup Service task " + ID);
    }

    /**
     * The task back as a draft after it ran (or was dequeued): no queue, worker or lease, no stop
     * request, parameters editable again; console output and run history stay with it.
     *
     * @param error why it ended abnormally, or null
     */
    public static Task backToDraft(Task t, Instant now, String error) {
        Set<String> systemTags = new TreeSet<>(t.systemTags());
        systemTags.remove(STOP_REQUESTED);
        return t.withStatus(TaskStatus.CREATED, now).toBuilder().queue(null).workerId(null).leaseExpiresAt(null)
                .systemTags(systemTags).error(error).endedAt(t.startedAt() != null ? now : t.endedAt()).build();
    }
}
