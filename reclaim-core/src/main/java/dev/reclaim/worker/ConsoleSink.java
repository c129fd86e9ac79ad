package dev.reclaim.worker;

import dev.reclaim.store.TaskStore;

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
 */
final class ConsoleSink implements AutoCloseable {
    private static final int FLUSH_AT_CHARS = 64 * 1024;

    private final String taskId;
    private final TaskStore store;
    private final Path file;
    private final BufferedWriter writer;
    private final StringBuilder unflushed = new StringBuilder();
    private long written;

    ConsoleSink(String taskId, TaskStore store, Path file) {
        this.taskId = taskId;
        this.store = store;
        this.file = file;
        try {
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create console log " + file, e);
        }
    }

    /** Appends text (with its own line ends). */
    synchronized void append(String text) {
        try {
            writer.write(text);
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
        if (unflushed.length() > 0) {
            String chunk = unflushed.toString();
            unflushed.setLength(0);
            store.appendConsole(taskId, chunk);
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
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
