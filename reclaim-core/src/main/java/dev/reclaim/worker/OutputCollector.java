package dev.reclaim.worker;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Names;
import dev.reclaim.store.StorageKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns a finished job's output folder into artifacts: {@code models/} -> MODEL,
 * {@code artifacts/} -> ARTIFACT, {@code debug/} -> DEBUG_SAMPLE, {@code result.json} -> RESULT,
 * {@code console.log} -> LOG; any other file -> ARTIFACT. Storage keys are
 * {@code tasks/<taskId>/<kind folder>/<relative path>}. Symbolic links are skipped, never followed,
 * and so is a file whose name is not a valid artifact name or storage key (a line break, a
 * backslash, a control or bidirectional-text character, too long): each skipped file is reported,
 * one line each, and removed with the output folder.
 */
final class OutputCollector {
    static final String RESULT_FILE = "result.json";
    static final String CONSOLE_FILE = "console.log";

    private OutputCollector() {
    }

    /**
     * Lists the output files of a job, all but its console log (see {@link #consoleLog}), which is
     * still being written while this runs: the job's console is where skipped files are reported.
     *
     * @param warn told about each file that was skipped and why, in one line without a line break
     */
    static List<CollectedFile> collect(String taskId, Path outputDir, Consumer<String> warn) {
        List<CollectedFile> files = new ArrayList<>();
        try {
            Files.walkFileTree(outputDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path rel = outputDir.relativize(file);
                    if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
                        warn.accept(skipped(rel.toString(), "not a regular file (links are never followed)"));
                        return FileVisitResult.CONTINUE;
                    }
                    if (!rel.toString().equals(CONSOLE_FILE)) {
                        add(files, taskId, rel, file, attrs.size(), warn);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read job output folder " + outputDir, e);
        }
        return files;
    }

    /**
     * The job's console log as its LOG artifact, once the console is closed.
     *
     * @param includeEmpty register it even when empty (command jobs always have one)
     */
    static Optional<CollectedFile> consoleLog(String taskId, Path outputDir, boolean includeEmpty) {
        Path file = outputDir.resolve(CONSOLE_FILE);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || (attrs.size() == 0 && !includeEmpty)) {
                return Optional.empty();
            }
            return Optional.of(new CollectedFile(ArtifactKind.LOG, CONSOLE_FILE,
                    StorageKeys.of("tasks", taskId, ArtifactKind.LOG.folder(), CONSOLE_FILE), file, attrs.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console log of job " + taskId, e);
        }
    }

    private static String skipped(String relative, String why) {
        return "skipped " + Names.printable(relative) + ": " + why.replace("\n", " ").replace("\r", " ")
                + "; it was removed with the job's output folder";
    }

    private static void add(List<CollectedFile> files, String taskId, Path rel, Path file, long size, Consumer<String> warn) {
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
        } else {
            kind = ArtifactKind.ARTIFACT;
            name = relText;
        }
        String key;
        try {
            Names.ARTIFACT_NAME.check(name);
            key = StorageKeys.of("tasks", taskId, kind.folder(), name);
        } catch (InvalidArgumentException e) {
            warn.accept(skipped(relText, "its name cannot be stored (" + e.getMessage()
                    + "); name output files without line breaks, backslashes or control characters"));
            return;
        }
        files.add(new CollectedFile(kind, name, key, file, size));
    }
}
