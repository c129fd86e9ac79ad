package dev.reclaim.imports;

import dev.reclaim.InvalidArgumentException;

import java.util.Optional;
import java.util.function.Function;

/**
 * How a tree of existing objects maps onto tasks and artifacts: which keys are artifacts of which
 * task, which are the tree's own metadata, and which lie outside the layout (never registered).
 * {@link #parse} reads what a person gives {@code reclaim import --layout}.
 */
public sealed interface Layout permits PatternLayout, MlflowLayout, ClearmlLayout {

    /**
     * Where the object with this key (relative to the tree's top) belongs.
     *
     * @return the task and artifact it is, {@link Placement.Metadata} for a file the tree keeps about
     * its tasks, or {@link Placement.Outside}
     */
    Placement place(String key);

    /**
     * What the tree says about a task beyond its keys (an MLflow run's {@code meta.yaml}); the
     * default says nothing, and the task's times then come from its objects.
     *
     * @param task the task, as {@link #place} found it
     * @param read reads a small text file of the tree by key; empty when there is none
     */
    default TaskMetadata metadata(TaskRef task, Function<String, Optional<String>> read) {
        return TaskMetadata.NONE;
    }

    /** The layout as a person gives it: {@code mlflow}, {@code clearml} or the pattern. */
    String spec();

    /**
     * Parses {@code mlflow}, {@code clearml} or a pattern such as {@code {project}/{task}/{kind}/**}
     * ({@link PatternLayout} says what a pattern may hold).
     *
     * @throws InvalidArgumentException saying what is wrong with the pattern and how to write it
     */
    static Layout parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidArgumentException("--layout is empty; give mlflow, clearml or a pattern such as "
                    + "'{project}/{task}/{kind}/**'");
        }
        return switch (spec.trim()) {
            case "mlflow" -> new MlflowLayout();
            case "clearml" -> new ClearmlLayout();
            default -> PatternLayout.parse(spec.trim());
        };
    }
}
