package dev.reclaim.worker;

import dev.reclaim.TaskNotFoundException;
import dev.reclaim.store.JobQueue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's console output: written to {@code console.log} in its output folder (registered as the
 * LOG artifact at the end) and flushed to the store in chunks, so {@code output(job)} shows it while
 * the job runs, from any process.
 *
 * <p>A task deleted while its job runs (by another process; this one learns it at the next flush or
 * heartbeat) has no console any more: the sink then tells its owner once, so the job is stopped
 * like a canceled one, and drops everything appended after that. Deletion is an expected event,
 * not an error, so nothing is thrown to the job or logged as a failure.
 */
final class ConsoleSink implements AutoCloseable {
    private static final int FLUSH_AT_CHARS = 64 * 1024;

    private final String taskId;
    private final JobQueue store;
    private final Path file;
    private BufferedWriter writer;
    private final StringBuilder unflushed = new StringBuilder();
    private final Runnable onTaskGone;
    private long written;
    private boolean taskGone;
    private boolean closed;

    /**
     * @param createEmpty create the file now, so it exists even when nothing is appended; otherwise it
     *                    is created at the first append (a job that prints nothing costs no file)
     * @param onTaskGone  run once, when the store says the task no longer exists
     */
    ConsoleSink(String taskId, JobQueue store, Path file, boolean createEmpty, Runnable onTaskGone) {
        this.taskId = taskId;
        this.store = store;
        this.file = file;
        this.onTaskGone = onTaskGone;
        if (createEmpty) {
            writer();
        }
    }

    private BufferedWriter writer() {
        if (writer == null) {
            try {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create console log " + file, e);
            }
        }
        return writer;
    }

    /** Appends text (with its own line ends). */
    synchronized void append(String text) {
        if (taskGone || closed) {
            return; // a thread the job left behind writes nothing after its console was kept
        }
        try {
            writer().write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written += text.length();
        unflushed.append(text);
        if (unflushed.length() >= FLUSH_AT_CHARS) {
            flush();
        }
    }

    /** Sends what was appended since the last flush to the store. */
    synchronized void flush() {
        if (taskGone) {
            return;
        }
        if (unflushed.length() > 0) {
            String chunk = unflushed.toString();
            unflushed.setLength(0);
            try {
                store.appendConsole(taskId, chunk);
            } catch (TaskNotFoundException e) {
                taskGone = true;
                onTaskGone.run();
                return;
            }
        }
        if (writer == null) {
            return;
        }
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when nothing was ever appended. */
    synchronized boolean isEmpty() {
        return written == 0;
    }

    /** The console log file. */
    Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        flush();
        closed = true;
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
