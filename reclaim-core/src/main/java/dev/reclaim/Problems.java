package dev.reclaim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exceptions described for people: what went wrong, in words, never a Java class name. The JDK's
 * own texts name classes ({@code java.nio.file.NoSuchFileException: /x}) or say nothing useful
 * (the message of a {@code NoSuchFileException} is only the path), so every message a user reads
 * that carries a caught exception's detail goes through {@link #describe}.
 */
public final class Problems {
    /**
     * A qualified Java class name: package segments in lower case, then a capitalised class name
     * (and any nested class after {@code $}).
     */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_]*)(?:\\$[A-Za-z0-9_$]*)?");

    private Problems() {
    }

    /**
     * What went wrong, for a message: Reclaim's own messages as they are; file-system errors as
     * "permission denied: PATH", "no such file or folder: PATH" and the like; anything else its
     * message with class names taken out, or "an internal error" when it has none.
     */
    public static String describe(Throwable e) {
        if (e == null) {
            return "an internal error";
        }
        if (e instanceof ReclaimException) {
            return e.getMessage() == null ? "an internal error" : e.getMessage();
        }
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            String own = u.getMessage();
            String cause = describe(u.getCause());
            return own == null || own.equals(u.getCause().toString()) ? cause : scrub(own) + ": " + cause;
        }
        if (e instanceof FileSystemException f) {
            return fileSystem(f);
        }
        if (e instanceof NumberFormatException) {
            return "a value is not a number" + (e.getMessage() == null ? "" : " (" + scrub(e.getMessage()) + ")");
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            if (e.getCause() != null && e.getCause() != e) {
                return describe(e.getCause());
            }
            return e instanceof IOException ? "an input/output error" : "an internal error";
        }
        return scrub(m);
    }

    /** {@code text} with every qualified Java class name taken out (exception names with the colon after them). */
    public static String scrub(String text) {
        Matcher m = CLASS_NAME.matcher(text);
        StringBuilder b = new StringBuilder();
        int last = 0;
        while (m.find()) {
            b.append(text, last, m.start());
            String simple = m.group(1);
            int end = m.end();
            if (simple.endsWith("Exception") || simple.endsWith("Error")) {
                while (end < text.length() && (text.charAt(end) == ':' || text.charAt(end) == ' ')) {
                    end++;
                }
            } else {
                b.append(simple);
            }
            last = end;
        }
        b.append(text, last, text.length());
        String out = b.toString().strip();
        return out.isEmpty() ? "an internal error" : out;
    }

    private static String fileSystem(FileSystemException f) {
        String file = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
        String what;
        if (f instanceof NoSuchFileException) {
            what = "no such file or folder";
        } else if (f instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (f instanceof FileAlreadyExistsException) {
            what = "already exists";
        } else if (f instanceof NotDirectoryException) {
            what = "not a folder";
        } else if (f instanceof DirectoryNotEmptyException) {
            what = "the folder is not empty";
        } else if (f instanceof FileSystemLoopException) {
            what = "links form a loop";
        } else {
            what = f.getReason() == null ? "a file system error" : scrub(f.getReason());
        }
        return file.isEmpty() ? what : what + ": " + file;
    }
}
