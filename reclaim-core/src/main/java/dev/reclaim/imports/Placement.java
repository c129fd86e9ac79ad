package dev.reclaim.imports;

import dev.reclaim.model.ArtifactKind;

/** Where an object of an imported tree belongs ({@link Layout#place}). */
public sealed interface Placement {
    /** Metadata of the tree (an MLflow {@code meta.yaml}, its metric files): read, never registered. */
    Placement METADATA = new Metadata();
    /** Not in the layout: never registered, left as it is. */
    Placement OUTSIDE = new Outside();

    /** An artifact of a task. */
    record Found(TaskRef task, ArtifactKind kind, String name) implements Placement {
    }

    /** A file the tree keeps about its tasks. */
    record Metadata() implements Placement {
    }

    /** Outside the layout. */
    record Outside() implements Placement {
    }
}
