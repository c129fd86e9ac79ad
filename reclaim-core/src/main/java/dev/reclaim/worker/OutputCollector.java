package dev.reclaim.worker;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.store.StorageKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a finished job's output folder into artifacts: {@code models/} -> MODEL,
 * {@code artifacts/} -> ARTIFACT, {@code debug/} -> DEBUG_SAMPLE, {@code result.json} -> RESULT,
 * {@code console.log} -> LOG; any other file -> ARTIFACT. Storage keys are
 * {@code tasks/<taskId>/<kind folder>/<relative path>}. Symbolic links are skipped, never followed.
 */
final class OutputCollector {
    static final String RESULT_FILE = "result.json";
    static final String CONSOLE_FILE = "console.log";

    private OutputCollector() {
    }

    /**
     * Lists the output files of a job.
     *
     * @param includeEmptyConsole register console.log even when empty (command jobs always have one)
     * @param warn                told about each file that was skipped and why
     */
    static List<CollectedFile> collect(String taskId, Path outputDir, boolean includeEmptyConsole, Consumer<String> warn) {
        List<CollectedFile> files = new ArrayList<>();
        try {
            Files.walkFileTree(outputDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path rel = outputDir.relativize(file);
                    if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
                        warn.accept("skipped " + rel + ": not a regular file (links are never followed)");
                        return FileVisitResult.CONTINUE;
                    }
                    add(files, taskId, rel, file, attrs.size(), includeEmptyConsole, warn);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read job output folder " + outputDir, e);
        }
        return files;
    }

    private static void add(List<CollectedFile> files, String taskId, Path rel, Path file, long size,
                            boolean includeEmptyConsole, Consumer<String> warn) {
        String relText = rel.toString().replace(file.getFileSystem().getSeparator(), "/");
        ArtifactKind kind;
        String name;
        int slash = relText.indexOf('/');
        String top = slash < 0 ? relText : relText.substring(0, slash);
        String rest = slash < 0 ? relText : relText.substring(slash + 1);
        if (slash > 0 && top.equals("models")) {
            kind = ArtifactKind.MODEL;
            name = rest;
        } else if (slash > 0 && top.equals("artifacts")) {
            kind = ArtifactKind.ARTIFACT;
            name = rest;
        } else if (slash > 0 && top.equals("debug")) {
            kind = ArtifactKind.DEBUG_SAMPLE;
            name = rest;
        } else if (relText.equals(RESULT_FILE)) {
            kind = ArtifactKind.RESULT;
            name = RESULT_FILE;
        } else if (relText.equals(CONSOLE_FILE)) {
            if (size == 0 && !includeEmptyConsole) {
                return;
            }
            kind = ArtifactKind.LOG;
            name = CONSOLE_FILE;
        } else {
            kind = ArtifactKind.ARTIFACT;
            name = relText;
        }
        String key;
        try {
            key = StorageKeys.of("tasks", taskId, kind.folder(), name);
        } catch (InvalidArgumentException e) {
            warn.accept("skipped " + relText + ": " + e.getMessage());
            return;
        }
        files.add(new CollectedFile(kind, name, key, file, size));
    }
}
