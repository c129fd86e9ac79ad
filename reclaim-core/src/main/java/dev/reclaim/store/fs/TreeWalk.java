package dev.reclaim.store.fs;

import dev.reclaim.store.StorageKeys;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;

/**
 * Depth-first walk of a folder tree through {@link Dir} handles: links and special files are
 * skipped, never followed; memory is one open folder per level. Folders and files vanishing during
 * the walk (a concurrent delete) are skipped.
 */
final class TreeWalk {

    /** What the walk reports. */
    interface Visitor {
        /** A regular file whose path is a valid storage key. */
        default void object(Dir dir, String name, String key, BasicFileAttributes attributes) throws IOException {
        }

        /**
         * A temp file of an unfinished or interrupted write.
         *
         * @param folderKey the key of the folder it is in, without a trailing {@code /} ({@code ""} at the root)
         */
        default void temp(Dir dir, String folderKey, String name, BasicFileAttributes attributes) throws IOException {
        }
    }

    private TreeWalk() {
    }

    /**
     * Walks {@code dir} (and closes it).
     *
     * @param keyPrefix the key of {@code dir} followed by {@code /}, or {@code ""} at the root
     * @param nameStart only entries of {@code dir} itself whose name starts with this are visited
     */
    static void walk(Dir dir, String keyPrefix, String nameStart, Visitor visitor) throws IOException {
        try (dir) {
            Iterator<String> names = dir.names();
            while (true) {
                String name;
                try {
                    if (!names.hasNext()) {
                        break;
                    }
                    name = names.next();
                } catch (DirectoryIteratorException e) {
                    throw e.getCause();
                }
                if (!name.startsWith(nameStart)) {
                    continue;
                }
                visit(dir, keyPrefix, name, visitor);
            }
        }
    }

    private static void visit(Dir dir, String keyPrefix, String name, Visitor visitor) throws IOException {
        BasicFileAttributes a;
        try {
            a = dir.attributes(name);
        } catch (NoSuchFileException e) {
            return;
        }
        if (FsNames.isTempName(name)) {
            if (a.isRegularFile()) {
                visitor.temp(dir, keyPrefix.isEmpty() ? "" : keyPrefix.substring(0, keyPrefix.length() - 1), name, a);
            }
            return;
        }
        if (keyPrefix.isEmpty() && StorageKeys.isReservedName(name)) {
            return; // Reclaim's own file at the top of the root (its identity marker): never an object
        }
        if (!FsNames.isKeySegment(name) || keyPrefix.length() + name.length() > StorageKeys.MAX_LENGTH) {
            return; // not created by the store: it can never be an object
        }
        if (a.isRegularFile()) {
            visitor.object(dir, name, keyPrefix + name, a);
        } else if (a.isDirectory()) {
            Dir child;
            try {
                child = dir.openDir(name);
            } catch (NoSuchFileException | NotDirectoryException | LinkNotFollowedException e) {
                return;
            }
            walk(child, keyPrefix + name + "/", "", visitor);
        }
    }
}
