package dev.reclaim.store.fs;

import dev.reclaim.InvalidArgumentException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts of {@link FileArtifactStore}: write a temp file in the key's folder (through the folder's
 * handle), flush it, rename it over the key, flush the folder. Readers see the old object or the new
 * one, never a part; a crash leaves at most a temp file ({@link FsNames#TEMP_PREFIX}).
 */
final class AtomicWrites {
    /** A folder on the way may be pruned by a concurrent delete between our steps: start over. */
    private static final int MAX_ATTEMPTS = 8;
    private static final EnumSet<StandardOpenOption> NEW_FILE = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final EnumSet<StandardOpenOption> READ = EnumSet.of(StandardOpenOption.READ);

    /** Writes a temp file named {@code temp} in {@code dir} and returns its size. */
    interface TempWriter {
        long write(Dir dir, String temp) throws IOException;

        /** Called when the put fails after {@link #write}: removes the temp file. */
        default void abandon(Dir dir, String temp) {
            deleteQuietly(dir, temp);
        }
    }

    private final Dir rootDir;
    private final boolean syncWrites;

    AtomicWrites(Dir rootDir, boolean syncWrites) {
        this.rootDir = rootDir;
        this.syncWrites = syncWrites;
    }

    /** Stores what {@code writer} writes under the key with these segments; returns its size. */
    long write(String[] segments, TempWriter writer) throws IOException {
        String name = segments[segments.length - 1];
        for (int attempt = 1; ; attempt++) {
            try (FolderChain chain = FolderChain.open(rootDir, segments, segments.length - 1, true)) {
                Dir dir = chain.last();
                String temp = FsNames.newTempName();
                long size;
                try {
                    size = writer.write(dir, temp);
                    dir.rename(temp, dir, name);
                } catch (IOException | RuntimeException e) {
                    writer.abandon(dir, temp);
                    throw e;
                }
                if (syncWrites) {
                    chain.sync();
                }
                return size;
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                // a folder on the way was pruned meanwhile, or a temp-name collision: start over
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    long bytesIn(byte[] bytes, Dir dir, String temp) throws IOException {
        try (FileChannel out = dir.newChannel(temp, NEW_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            if (syncWrites) {
                out.force(true);
            }
        }
        return bytes.length;
    }

    /** Copies the source (opened without following a link) into {@code dir} as {@code temp}. */
    long copyIn(Path src, Dir dir, String temp) throws IOException {
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             FileChannel out = dir.newChannel(temp, NEW_FILE)) {
            long position = 0;
            long n;
            while ((n = in.transferTo(position, Long.MAX_VALUE, out)) > 0) {
                position += n;
            }
            if (syncWrites) {
                out.force(true);
            }
            return position;
        }
    }

    /**
     * A writer that moves the source in (see {@link #moveIn}); if the put fails afterwards, the file is
     * renamed back to the source rather than lost.
     */
    TempWriter mover(Path src, AtomicBoolean copied) {
        return new TempWriter() {
            @Override
            public long write(Dir dir, String temp) throws IOException {
                return moveIn(src, dir, temp, copied);
            }

            @Override
            public void abandon(Dir dir, String temp) {
                if (copied.get()) {
                    deleteQuietly(dir, temp);
                    return;
                }
                try (Dir srcDir = Dir.open(src.getParent(), dir instanceof SecureDir)) {
                    dir.rename(temp, srcDir, src.getFileName().toString());
                } catch (IOException | RuntimeException e) {
                    // not moved in yet (the rename failed), or the source folder is gone: nothing to give back
                }
            }
        };
    }

    /**
     * Renames the source into {@code dir} as {@code temp} (renameat between the two folder handles);
     * copies instead when it is on another filesystem, setting {@code copied}.
     */
    long moveIn(Path src, Dir dir, String temp, AtomicBoolean copied) throws IOException {
        copied.set(false);
        try (Dir srcDir = Dir.open(src.getParent(), dir instanceof SecureDir)) {
            if (srcDir.getClass() != dir.getClass()) {
                copied.set(true);
                return copyIn(src, dir, temp);
            }
            String srcName = src.getFileName().toString();
            try {
                srcDir.rename(srcName, dir, temp);
            } catch (AtomicMoveNotSupportedException e) {
                copied.set(true);
                return copyIn(src, dir, temp);
            }
            BasicFileAttributes a = dir.attributes(temp);
            if (!a.isRegularFile()) { // swapped after the caller's check: give it back
                dir.rename(temp, srcDir, srcName);
                throw new InvalidArgumentException("source " + src + " is not a regular file (links are never followed)");
            }
            if (syncWrites) {
                try (FileChannel ch = dir.newChannel(temp, READ)) {
                    ch.force(true);
                }
            }
            return a.size();
        }
    }

    static void deleteQuietly(Dir dir, String name) {
        try {
            dir.deleteFile(name);
        } catch (IOException | RuntimeException e) {
            // never created, or already renamed into place
        }
    }
}
