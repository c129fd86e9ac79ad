package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.Task;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Reading one task and its artifacts for the commands that show them. */
final class TaskLookup {
    /** Artifacts read per query: a task with millions of them is read in pages, never all at once. */
    static final int PAGE = 500;

    private TaskLookup() {
    }

    /**
     * The live task with this id.
     *
     * @throws InvalidArgumentException (exit 2) when there is none, or its deletion has started,
     *                                  saying how to find the ids, as {@code cleanup history show} does
     */
    static Task live(Reclaim reclaim, String id) {
        Optional<Task> found = reclaim.tasks().find(id);
        if (found.isEmpty()) {
            throw new InvalidArgumentException("there is no task with id '" + id + "'; 'reclaim tasks list' lists the "
                    + "tasks with their ids");
        }
        if (!found.get().isLive()) {
            throw new InvalidArgumentException("task " + id + " is being deleted; 'reclaim tasks list' lists the tasks "
                    + "there are");
        }
        return found.get();
    }

    /** Hands each page of a task's LIVE artifacts, in id order, to {@code page}. */
    static void forEachPage(Reclaim reclaim, String taskId, Consumer<List<Artifact>> page) {
        String after = null;
        while (true) {
            List<Artifact> p = reclaim.tasks().liveArtifacts(taskId, after, PAGE);
            if (p.isEmpty()) {
                return;
            }
            page.accept(p);
            if (p.size() < PAGE) {
                return;
            }
            after = p.get(p.size() - 1).id();
        }
    }
}
