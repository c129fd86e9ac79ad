package dev.reclaim.jdbc.stateful;

import dev.reclaim.store.TaskStore;

import java.nio.file.Path;

/** Where a sequence's task store lives, opened afresh after every crash on the same data. */
interface Backend {
    /** The task store of a new sequence, empty, with its data under {@code dir} where it has files. */
    TaskStore create(Path dir);

    /** The same task store again, as a restarted process opens it. */
    TaskStore reopen(Path dir);

    /** Where the artifact store of the sequence in {@code dir} keeps its objects (a folder in it unless overridden). */
    default Place place(Path dir) {
        return new FolderPlace(dir.resolve("artifacts"));
    }
}
