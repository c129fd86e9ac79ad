package dev.reclaim.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of job output (staging) folders, which live outside the artifact store. */
public final class StagingFolders {
    private static final Logger LOG = LoggerFactory.getLogger(StagingFolders.class);

    private StagingFolders() {
    }

    /** The name a batch job's control folder (batch script, exit record) has beside its output folder. */
    public static final String BATCH_CONTROL_SUFFIX = ".batch";

    /** A batch job's control folder: its batch script and exit record, beside its output folder. */
    public static Path batchControl(Path stagingRoot, String jobId) {
        return stagingRoot.resolve(jobId + BATCH_CONTROL_SUFFIX);
    }

    /** Removes a job's output folder and, for a batch job, its control folder beside it. */
    public static void deleteJob(Path stagingRoot, String jobId) {
        delete(stagingRoot.resolve(jobId));
        delete(batchControl(stagingRoot, jobId));
    }

    /** Removes a job's output folder and everything in it; links inside are removed, never followed. */
    public static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not remove job output folder {}: {}", dir, e.toString());
        }
    }
}
