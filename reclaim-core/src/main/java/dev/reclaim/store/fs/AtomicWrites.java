package dev.reclaim.store.fs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.ObjectExistsException;
import dev.reclaim.model.Sha256;
import dev.reclaim.model.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts of {@link FileArtifactStore}: write a temp file in the key's folder (through the folder's
 * handle), hashing the bytes as they go, flush it, give it the key's name as a second hard link
 * (link(2) never replaces an entry, so a put can only create an object), drop the temp name,
 * flush the folder. Readers see no object or the whole one, never a part; a crash leaves at most a
 * temp file ({@link FsNames#TEMP_PREFIX}).
 */
final class AtomicWrites {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicWrites.class);
    /** A folder on the way may be pruned by a concurrent delete between our steps: start over. */
    private static final int MAX_ATTEMPTS = 8;
    private static final int COPY_BUFFER = 64 * 1024;
    private static final EnumSet<StandardOpenOption> NEW_FILE = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final EnumSet<StandardOpenOption> READ = EnumSet.of(StandardOpenOption.READ);

    /** Writes a temp file named {@code temp} in {@code dir} and returns its size and digest. */
    interface TempWriter {
        StoredObject write(Dir dir, String temp) throws IOException;

        /** Called when the put fails after {@link #write}: removes the temp file. */
        default void abandon(Dir dir, String temp) {
            deleteQuietly(dir, temp);
        }
    }

    private final Dir rootDir;
    private final boolean syncWrites;
    private final AtomicBoolean warnedNoLinks = new AtomicBoolean();

    AtomicWrites(Dir rootDir, boolean syncWrites) {
        this.rootDir = rootDir;
        this.syncWrites = syncWrites;
    }

    /**
     * Stores what {@code writer} writes under the key with these segments, unless the key's name is
     * taken; returns its size and digest.
     *
     * @throws ObjectExistsException when an entry (object, folder or link) already has the key's name
     */
    StoredObject write(String[] segments, TempWriter writer, String describe) throws IOException {
        String name = segments[segments.length - 1];
        for (int attempt = 1; ; attempt++) {
            try (FolderChain chain = FolderChain.open(rootDir, segments, segments.length - 1, true)) {
                Dir dir = chain.last();
                String temp = FsNames.newTempName();
                StoredObject stored;
                try {
                    stored = writer.write(dir, temp);
                    publish(dir, temp, name, String.join("/", segments), describe);
                } catch (IOException | RuntimeException e) {
                    writer.abandon(dir, temp);
                    throw e;
                }
                deleteQuietly(dir, temp); // the object keeps its own name
                if (syncWrites) {
                    chain.sync();
                }
                return stored;
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                // a folder on the way was pruned meanwhile, or a temp-name collision: start over
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Gives the temp file the key's name without ever replacing an entry there. */
    private void publish(Dir dir, String temp, String name, String key, String describe) throws IOException {
        try {
            dir.link(temp, name);
        } catch (FileAlreadyExistsException e) {
            throw taken(dir, name, key, describe);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // A filesystem without hard links: check, then rename. Two puts of one key racing here
            // could both pass the check; the task store never gives one key to two writers.
            if (warnedNoLinks.compareAndSet(false, true)) {
                LOG.warn("{}: the filesystem refused a hard link ({}); puts check that the key is free and then rename, "
                        + "which is not atomic against another process writing the same key", describe, e.toString());
            }
            if (exists(dir, name)) {
                throw taken(dir, name, key, describe);
            }
            dir.rename(temp, dir, name);
            return;
        }
        // The link went by path: make sure, through the folder's handle, that it landed here.
        Object made = dir.attributes(name).fileKey();
        Object meant = dir.attributes(temp).fileKey();
        if (made == null || !made.equals(meant)) {
            throw new FileSystemException(dir.path().resolve(name).toString(), null,
                    "the folder changed while the object was stored (a link swapped in?); nothing was stored");
        }
    }

    private static ObjectExistsException taken(Dir dir, String name, String key, String describe) {
        String what = "an object";
        try {
            BasicFileAttributes a = dir.attributes(name);
            what = a.isDirectory() ? "a folder" : a.isSymbolicLink() ? "a link" : a.isRegularFile() ? "an object" : "a special file";
        } catch (IOException e) {
            // removed meanwhile: still refused, the put did not happen
        }
        return new ObjectExistsException(key, "cannot store key '" + key + "' in " + describe + ": " + what
                + " is already there; the store never replaces what a key holds, so store the new bytes under a new key");
    }

    private static boolean exists(Dir dir, String name) throws IOException {
        try {
            dir.attributes(name);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    StoredObject bytesIn(byte[] bytes, Dir dir, String temp) throws IOException {
        try (FileChannel out = dir.newChannel(temp, NEW_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            if (syncWrites) {
                out.force(true);
            }
        }
        return new StoredObject(bytes.length, Sha256.of(bytes));
    }

    /**
     * Copies the source (opened without following a link) into {@code dir} as {@code temp},
     * hashing the bytes on the way: the source is read once.
     */
    StoredObject copyIn(Path src, Dir dir, String temp) throws IOException {
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             FileChannel out = dir.newChannel(temp, NEW_FILE)) {
            MessageDigest digest = Sha256.newDigest();
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
            long total = 0;
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer.array(), 0, buffer.limit());
                total += buffer.limit();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
            if (syncWrites) {
                out.force(true);
            }
            return new StoredObject(total, Sha256.hex(digest));
        }
    }

    /** Reads a file of {@code dir} once, for its digest, and flushes it when writes are synced. */
    private StoredObject digestOf(Dir dir, String name) throws IOException {
        try (FileChannel ch = dir.newChannel(name, READ)) {
            MessageDigest digest = Sha256.newDigest();
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
            long total = 0;
            while (ch.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer.array(), 0, buffer.limit());
                total += buffer.limit();
                buffer.clear();
            }
            if (syncWrites) {
                ch.force(true);
            }
            return new StoredObject(total, Sha256.hex(digest));
        }
    }

    /**
     * A writer that moves the source in (see {@link #moveIn}); if the put fails afterwards, the file is
     * renamed back to the source rather than lost.
     */
    TempWriter mover(Path src, AtomicBoolean copied) {
        return new TempWriter() {
            @Override
            public StoredObject write(Dir dir, String temp) throws IOException {
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
     * Renames the source into {@code dir} as {@code temp} (renameat between the two folder handles)
     * and reads it once for its digest; copies instead when it is on another filesystem, setting
     * {@code copied}.
     */
    StoredObject moveIn(Path src, Dir dir, String temp, AtomicBoolean copied) throws IOException {
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
            return digestOf(dir, temp);
        }
    }

    static void deleteQuietly(Dir dir, String name) {
        Objects.requireNonNull(name);
        try {
            dir.deleteFile(name);
        } catch (IOException | RuntimeException e) {
            // never created, or already renamed into place
        }
    }
}
