package dev.reclaim.store.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Set;

/**
 * An open folder of the store. Every {@code name} is a single path segment relative to this folder,
 * and no operation follows a symbolic link: not the named entry, and not a folder on the way (each
 * folder is opened from its parent's handle, see {@link SecureDir}). Two implementations:
 * {@link SecureDir} (openat/unlinkat through {@link SecureDirectoryStream}, race-free) and
 * {@link PathCheckedDir} (path-based with a no-follow check before each step, for platforms without
 * secure directory streams).
 */
interface Dir extends Closeable {

    /** Absolute path of this folder as it was opened, for messages and for creating sub-folders. */
    Path path();

    /**
     * Opens a sub-folder, never through a link.
     *
     * @throws java.nio.file.NoSuchFileException    if there is no such entry
     * @throws java.nio.file.NotDirectoryException  if the entry is a file or a special file
     * @throws LinkNotFollowedException             if the entry is a symbolic link
     */
    Dir openDir(String name) throws IOException;

    /** A new handle on this same folder (a handle can be iterated once). */
    Dir reopen() throws IOException;

    /**
     * Creates a sub-folder. Java has no mkdirat, so this goes by path: see the class comment of
     * {@link FileArtifactStore} for the one (harmless) race this leaves.
     */
    void createDir(String name) throws IOException;

    /** Attributes of an entry, not following a link. */
    BasicFileAttributes attributes(String name) throws IOException;

    /** Removes a file or link entry (a link itself, never its target); fails for a folder. */
    void deleteFile(String name) throws IOException;

    /** Removes an empty sub-folder; fails for a link, a file or a non-empty folder. */
    void deleteDir(String name) throws IOException;

    /** Opens a file with {@code NOFOLLOW_LINKS} added to {@code options}. */
    FileChannel newChannel(String name, Set<? extends OpenOption> options) throws IOException;

    /** Atomically renames {@code from} in this folder to {@code to} in {@code target} (same kind of handle). */
    void rename(String from, Dir target, String to) throws IOException;

    /**
     * Makes {@code newName} a second name (hard link) of the file {@code existing} of this folder,
     * never replacing an entry: fails with {@link java.nio.file.FileAlreadyExistsException} when
     * {@code newName} exists. Java has no linkat, so this goes by path; the caller checks through
     * this handle that the new name is the file it meant.
     */
    void link(String existing, String newName) throws IOException;

    /** Names of the entries of this folder; call once per handle. */
    Iterator<String> names() throws IOException;

    /** Flushes this folder's entries to disk (fsync of the folder). */
    void sync() throws IOException;

    /**
     * Opens a folder by path: a {@link SecureDir} when {@code preferSecure} and the platform offers
     * secure directory streams, otherwise a {@link PathCheckedDir}.
     */
    static Dir open(Path dir, boolean preferSecure) throws IOException {
        if (preferSecure) {
            DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
            if (stream instanceof SecureDirectoryStream) {
                return new SecureDir((SecureDirectoryStream<Path>) stream, dir);
            }
            stream.close();
        }
        return new PathCheckedDir(dir);
    }
}
