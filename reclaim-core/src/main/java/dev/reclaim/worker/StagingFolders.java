package dev.reclaim.worker;

import java.nio.file.Path;

/** Removal of job output (staging) folders, which live outside the artifact store. */
public final class StagingFolders {
    private StagingFolders() {
    }

    /** Removes a job's output folder and everything in it; links inside are removed, never followed. */
    public static void delete(Path folder) {
        JobExecution.deleteFolder(folder);
    }
}
