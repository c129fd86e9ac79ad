package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupSettings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the server keeps the Cleanup Service settings. docs/rules.md section 4 says they are the
 * parameters of the pre-loaded {@code Cleanup Service} task; stores that do not have that task yet
 * keep them in memory. Behind this interface, so switching is one line in {@link #find}.
 */
interface CleanupSettingsSource {
    /** The current settings. */
    CleanupSettings get();

    /**
     * Applies changes by setting name; all or nothing.
     *
     * @throws dev.reclaim.InvalidArgumentException for an unknown name or a bad value (nothing changes)
     */
    CleanupSettings update(Map<String, String> changes);

    /** Where the settings live, for the API: {@code task} or {@code memory}. */
    String kind();

    /** Id of the Cleanup Service task the settings belong to; null when in memory. */
    String serviceTaskId();

    /**
     * The pre-loaded Cleanup Service task's parameters when the store has that task, else memory
     * starting from {@code initial}. The task is found by its well-known id
     * ({@link dev.reclaim.cleanup.ServiceTask#ID}), not by name: a user task may be named
     * "Cleanup Service" too, and the id is the same in every store.
     */
    static CleanupSettingsSource find(Reclaim reclaim, CleanupSettings initial) {
        return reclaim.tasks().find(dev.reclaim.cleanup.ServiceTask.ID).isPresent()
                ? new ServiceTask(reclaim, dev.reclaim.cleanup.ServiceTask.ID) : new InMemory(initial);
    }

    /** Settings held by this process only (lost on restart; not shared with other servers). */
    final class InMemory implements CleanupSettingsSource {
        private final AtomicReference<CleanupSettings> current;

        InMemory(CleanupSettings initial) {
            current = new AtomicReference<>(initial);
        }

        @Override
        public CleanupSettings get() {
            return current.get();
        }

        @Override
        public synchronized CleanupSettings update(Map<String, String> changes) {
            CleanupSettings next = current.get().with(changes, "settings");
            current.set(next);
            return next;
        }

        @Override
        public String kind() {
            return "memory";
        }

        @Override
        public String serviceTaskId() {
            return null;
        }
    }

    /** The parameters of the Cleanup Service task (shared by every process on the store). */
    final class ServiceTask implements CleanupSettingsSource {
        private final Reclaim reclaim;
        private final String taskId;

        ServiceTask(Reclaim reclaim, String taskId) {
            this.reclaim = reclaim;
            this.taskId = taskId;
        }

        @Override
        public CleanupSettings get() {
            Map<String, String> known = new LinkedHashMap<>();
            reclaim.tasks().get(taskId).params().forEach((k, v) -> {
                if (CleanupSettings.NAMES.contains(k)) {
                    known.put(k, v);
                }
            });
            return CleanupSettings.fromMap(known, "parameters of task " + taskId);
        }

        @Override
        public CleanupSettings update(Map<String, String> changes) {
            CleanupSettings next = get().with(changes, "settings");
            reclaim.tasks().setParams(taskId, next.toMap());
            return next;
        }

        @Override
        public String kind() {
            return "task";
        }

        @Override
        public String serviceTaskId() {
            return taskId;
        }
    }
}
