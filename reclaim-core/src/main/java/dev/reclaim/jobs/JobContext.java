package dev.reclaim.jobs;

import dev.reclaim.model.ArtifactKind;

import java.nio.file.Path;

/** What a running job can use: its id, its output folder, a log, and cancellation. */
public interface JobContext {
    /** The job's id. */
    String jobId();

    /** The job's private output folder (the same as {@code RECLAIM_OUTPUT} for command jobs). */
    Path outputDir();

    /** Appends a line to the job's console output. */
    void log(String line);

    /**
     * Writes an output file that becomes an artifact of the given kind when the job ends.
     *
     * @param kind MODEL, ARTIFACT or DEBUG_SAMPLE
     * @param name relative path inside the kind's folder, e.g. {@code epoch-3.ckpt}
     * @return the file written
     */
    Path writeArtifact(ArtifactKind kind, String name, byte[] content);

    /** True once the job was canceled; long-running functions should check it and return. */
    boolean isCanceled();
}
