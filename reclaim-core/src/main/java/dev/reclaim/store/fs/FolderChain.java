package dev.reclaim.store.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * The folders from the store's root down to some folder, each opened from its parent's handle.
 * {@code dirs[0]} is the shared root handle (never closed here); {@code dirs[i]} is the folder
 * {@code segments[i - 1]} inside {@code dirs[i - 1]}.
 */
final class FolderChain implements AutoCloseable {
    private final String[] segments;
    private final Dir[] dirs;
    private final boolean[] created;
    private int opened;

    private FolderChain(String[] segments, int depth) {
        this.segments = segments;
        this.dirs = new Dir[depth + 1];
        this.created = new boolean[depth + 1];
    }

    /**
     * Opens the first {@code depth} of {@code segments} below {@code root}, creating missing folders
     * when {@code create}.
     *
     * @throws NoSuchFileException                  a folder is missing (and not {@code create})
     * @throws java.nio.file.NotDirectoryException  a segment names a file
     * @throws LinkNotFollowedException             a segment names a link
     */
    static FolderChain open(Dir root, String[] segments, int depth, boolean create) throws IOException {
        FolderChain chain = new FolderChain(segments, depth);
        chain.dirs[0] = root;
        chain.opened = 1;
        try {
            for (int i = 0; i < depth; i++) {
                Dir parent = chain.dirs[i];
                Dir next;
                try {
                    next = parent.openDir(segments[i]);
                } catch (NoSuchFileException e) {
                    if (!create) {
                        throw e;
                    }
                    try {
                        parent.createDir(segments[i]);
                        chain.created[i + 1] = true;
                    } catch (FileAlreadyExistsException raced) {
                        // a concurrent writer created it (or it is a file: openDir below says so)
                    }
                    next = parent.openDir(segments[i]);
                }
                chain.dirs[i + 1] = next;
                chain.opened++;
            }
        } catch (IOException | RuntimeException e) {
            chain.close();
            throw e;
        }
        return chain;
    }

    /** The deepest folder opened. */
    Dir last() {
        return dirs[dirs.length - 1];
    }

    /**
     * Removes the folders of the chain that are empty, deepest first, stopping at the first that is
     * not (a concurrent writer may have added a file) and never removing the root.
     */
    void pruneEmpty() {
        for (int i = dirs.length - 1; i >= 1; i--) {
            try {
                dirs[i - 1].deleteDir(segments[i - 1]);
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    /** Flushes the last folder's entries, and those of the parents of folders this chain created. */
    void sync() throws IOException {
        last().sync();
        for (int i = dirs.length - 1; i >= 1; i--) {
            if (created[i]) {
                dirs[i - 1].sync();
            }
        }
    }

    @Override
    public void close() {
        for (int i = opened - 1; i >= 1; i--) {
            try {
                dirs[i].close();
            } catch (IOException | RuntimeException e) {
                // closing a read-only folder handle cannot lose data
            }
        }
        opened = 1;
    }
}
