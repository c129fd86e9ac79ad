package dev.reclaim.imports;

import dev.reclaim.model.TaskStatus;

import java.time.Instant;

/** What an import knows of one task of the tree: its fields, its objects' times and counts. */
final class TaskState {
    final TaskRef ref;
    final String name;
    final String project;
    final TaskStatus status;
    final Instant startedAt;
    final Instant endedAt;
    final boolean deleted;
    /** Why the task cannot be created (a name Reclaim refuses); null when it can. */
    final String refusal;
    Instant oldest;
    Instant newest;
    long objects;
    long bytes;
    long newObjects;
    long newBytes;
    /** The catalog's task, once created or found. */
    String taskId;

    TaskState(TaskRef ref, String name, String project, TaskMetadata meta, String refusal) {
        this.ref = ref;
        this.name = name;
        this.project = project;
        this.status = meta.status();
        this.startedAt = meta.startedAt();
        this.endedAt = meta.endedAt();
        this.deleted = meta.deleted();
        this.refusal = refusal;
    }

    void saw(Instant modified, long size) {
        if (modified != null) {
            oldest = oldest == null || modified.isBefore(oldest) ? modified : oldest;
            newest = newest == null || modified.isAfter(newest) ? modified : newest;
        }
        objects++;
        bytes += size;
    }
}
