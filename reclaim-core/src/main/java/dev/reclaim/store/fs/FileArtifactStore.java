package dev.reclaim.store.fs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.StoreException;
import dev.reclaim.model.StoredObject;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.RootMarker;
import dev.reclaim.store.StorageKeys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An {@link ArtifactStore} in a local folder: key {@code a/b/c} is the file {@code <root>/a/b/c}.
 *
 * <p><b>Safety.</b> No operation reads, writes or deletes outside the root, and no symbolic link is
 * followed, neither the last segment of a key nor a folder on the way. The root folder is held open,
 * and every folder below it is opened from its parent's handle with {@code NOFOLLOW_LINKS}
 * ({@link java.nio.file.SecureDirectoryStream}: openat/unlinkat/renameat, like {@code rm -rf}), so
 * replacing a folder by a link, even while an operation runs, cannot redirect it. A key whose path
 * runs through a linked folder is no object: {@link #stat} is empty, {@link #open}, {@link #delete}
 * and the puts throw {@link StoreException}, {@link #deleteBatch} reports it FAILED (so someone sees
 * it), {@link #list} skips it. A key naming a link itself: reads see no object, a put is refused (the
 * name is taken), a delete removes the link (never its target). Special files (FIFOs, devices) are never opened.
 * One residual race: Java has no mkdirat, so a put creates a missing folder by path; if a folder on
 * that path is swapped for a link at that instant, an empty folder may appear at the link's target,
 * but the write itself still fails (it goes through the held handles). Where the platform offers no
 * secure directory streams (not Linux or macOS) the store falls back to path-based operations with
 * a no-follow check before each step (logged as a warning at open): links in place are still refused,
 * but a link swapped in between check and use could be followed.
 *
 * <p><b>Writes never replace anything.</b> The bytes go to a temp file in the key's folder, hashed on
 * the way (SHA-256) and flushed ({@link Builder#syncWrites}); then the temp file gets the key's name
 * as a second hard link. link(2) fails when the name exists, so a put whose key is taken throws
 * {@link dev.reclaim.store.ObjectExistsException} and changes nothing, and readers see no object or
 * the whole one, never a part. Java has no linkat, so the link goes by path; the store then checks
 * through the folder's handle that the new name is its file, so a folder swapped for a link at that
 * instant fails the put (at worst leaving a second name of the new file at the link's target). On a
 * filesystem without hard links a put checks that the name is free and then renames, which is not
 * atomic against another process writing the same key (the task store gives each key to one writer).
 * Temp files are named {@code .reclaim-tmp\<16 hex digits>}: no key can contain a backslash, so they
 * never collide with objects and {@link #list} never reports them; {@link #listInterruptedWrites} and
 * {@link #removeInterruptedWrites} find and clear those left by a crash. A put whose folder is pruned
 * by a concurrent delete retries.
 *
 * <p><b>Identity.</b> The root's marker ({@link RootMarker}) is the file {@code .reclaim-root} in the
 * root folder, created by hard-linking a complete temp file to that name, so it appears whole and
 * never replaces another; like every top-level name starting with {@code .reclaim} it is no key.
 *
 * <p><b>Deletes</b> remove emptied folders bottom-up, up to but never including the root.
 * {@link #deleteBatch} opens each folder once and runs folders in parallel on
 * {@link Builder#deleteThreads} threads; an invalid key in a batch is reported FAILED, not thrown.
 *
 * <p>Thread-safe. A key segment must fit in a file name (255 bytes of UTF-8): a longer one cannot be
 * stored (a put throws, reads see no object, deletes report it absent). Keys are Unicode: run the JVM
 * with a UTF-8 locale (e.g. {@code LANG=C.UTF-8}), otherwise non-ASCII keys fail (warned at open).
 */
public final class FileArtifactStore implements ArtifactStore {
    /**
     * Threads of {@link #deleteBatch}: 16, whatever the core count. An unlink mostly waits for the
     * disk (the folder and inode of a file untouched for weeks are not cached), so more requests
     * in flight is what makes it fast. On ext4 (2 cores) 16 threads deleted 100,000 files 3.3x
     * faster than {@code rm -rf} with cold caches and 4.3x with warm ones; 4 threads 2.0x and
     * 2.7x; 32 and 64 threads no faster than 16 (docs/benchmarks.md).
     */
    public static final int DEFAULT_DELETE_THREADS = 16;
    /** Whether puts fsync the file and its folder before returning. */
    public static final boolean DEFAULT_SYNC_WRITES = true;

    private static final Logger LOG = LoggerFactory.getLogger(FileArtifactStore.class);
    private static final EnumSet<StandardOpenOption> READ = EnumSet.of(StandardOpenOption.READ);

    private final Path root;
    private final Dir rootDir;
    private final boolean secure;
    private final AtomicWrites writes;
    private final ForkJoinPool deletePool;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FileArtifactStore(Path root, Dir rootDir, boolean syncWrites, int deleteThreads) {
        this.root = root;
        this.rootDir = rootDir;
        this.secure = rootDir instanceof SecureDir;
        this.writes = new AtomicWrites(rootDir, syncWrites);
        AtomicLong threadNumber = new AtomicLong();
        this.deletePool = new ForkJoinPool(deleteThreads, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("reclaim-fs-delete-" + threadNumber.incrementAndGet());
            return t;
        }, null, false);
    }

    /** Opens (creating it if needed) a store in {@code root} with the default settings. */
    public static FileArtifactStore open(Path root) {
        return builder(root).open();
    }

    /** A builder for a store in {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** The root folder (its real path). */
    public Path root() {
        return root;
    }

    /** True when the race-free {@link java.nio.file.SecureDirectoryStream} path is in use (Linux, macOS). */
    public boolean usesSecureDirectoryStreams() {
        return secure;
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    @Override
    public StoredObject putFileWithDigest(String key, Path source, boolean moveAllowed) {
        StorageKeys.validate(key);
        Objects.requireNonNull(source, "source");
        checkOpen();
        Path src = source.toAbsolutePath();
        BasicFileAttributes sa;
        try {
            sa = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new StoreException("cannot read source file " + src + " for key '" + key + "': " + Problems.describe(e), e);
        }
        if (!sa.isRegularFile() || src.getFileName() == null) {
            throw new InvalidArgumentException("source " + src + " is not a regular file (links are never followed)");
        }
        AtomicBoolean copiedForMove = new AtomicBoolean();
        StoredObject stored = write(key, moveAllowed
                ? writes.mover(src, copiedForMove)
                : (dir, temp) -> writes.copyIn(src, dir, temp));
        if (copiedForMove.get()) {
            try {
                Files.deleteIfExists(src); // moved across filesystems: copy, then remove the source like mv
            } catch (IOException e) {
                LOG.debug("could not remove moved source {}", src, e);
            }
        }
        return stored;
    }

    @Override
    public void putBytes(String key, byte[] bytes) {
        StorageKeys.validate(key);
        Objects.requireNonNull(bytes, "bytes");
        checkOpen();
        write(key, (dir, temp) -> writes.bytesIn(bytes, dir, temp));
    }

    @Override
    public InputStream open(String key) {
        String[] segments = segmentsOf(key);
        if (!FsNames.fitsFileNames(segments)) {
            throw new StoreException("no object at key '" + key + "' in " + describe() + " (a segment is longer than a file name can be)");
        }
        String name = segments[segments.length - 1];
        try (FolderChain chain = FolderChain.open(rootDir, segments, segments.length - 1, false)) {
            if (!chain.last().attributes(name).isRegularFile()) {
                throw new StoreException("no object at key '" + key + "' in " + describe() + " (a folder, link or special file is there)");
            }
            return Channels.newInputStream(chain.last().newChannel(name, READ));
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new StoreException("no object at key '" + key + "' in " + describe());
        } catch (IOException e) {
            throw failure("open", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        String[] segments = segmentsOf(key);
        if (!FsNames.fitsFileNames(segments)) {
            return Optional.empty();
        }
        String name = segments[segments.length - 1];
        try (FolderChain chain = FolderChain.open(rootDir, segments, segments.length - 1, false)) {
            BasicFileAttributes a = chain.last().attributes(name);
            return a.isRegularFile()
                    ? Optional.of(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException | NotDirectoryException | LinkNotFollowedException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    /** {@inheritDoc} Here: a link, folder or special file at the key, or a link or file in place of a folder on its path. */
    @Override
    public Optional<String> obstacle(String key) {
        String[] segments = segmentsOf(key);
        if (!FsNames.fitsFileNames(segments)) {
            return Optional.empty();
        }
        String name = segments[segments.length - 1];
        try (FolderChain chain = FolderChain.open(rootDir, segments, segments.length - 1, false)) {
            BasicFileAttributes a = chain.last().attributes(name);
            if (a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(a.isSymbolicLink() ? "a symbolic link is at its key, which the store never follows"
                    : a.isDirectory() ? "a folder is at its key" : "a special file is at its key");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NotDirectoryException e) {
            return Optional.of("a folder on its path is a file (" + e.getMessage() + ")");
        } catch (LinkNotFollowedException e) {
            return Optional.of("a folder on its path is a symbolic link (" + e.getFile() + "), which the store never follows");
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> sink) {
        FsNames.Prefix p = FsNames.parsePrefix(prefix);
        Objects.requireNonNull(sink, "sink");
        checkOpen();
        String[] folders = p.folders().toArray(new String[0]);
        String keyPrefix = folders.length == 0 ? "" : String.join("/", folders) + "/";
        TreeWalk.Visitor visitor = new TreeWalk.Visitor() {
            @Override
            public void object(Dir dir, String name, String key, BasicFileAttributes a) {
                sink.accept(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
            }
        };
        try (FolderChain chain = FolderChain.open(rootDir, folders, folders.length, false)) {
            Dir start = folders.length == 0 ? rootDir.reopen() : chain.last().reopen();
            TreeWalk.walk(start, keyPrefix, p.nameStart(), visitor);
        } catch (NoSuchFileException | NotDirectoryException | LinkNotFollowedException e) {
            // nothing under this prefix
        } catch (IOException e) {
            throw new StoreException("cannot list '" + prefix + "' in " + describe() + ": " + Problems.describe(e), e);
        }
    }

    @Override
    public boolean delete(String key) {
        String[] segments = segmentsOf(key);
        if (!FsNames.fitsFileNames(segments)) {
            return false;
        }
        String name = segments[segments.length - 1];
        try (FolderChain chain = FolderChain.open(rootDir, segments, segments.length - 1, false)) {
            boolean existed;
            try {
                chain.last().deleteFile(name);
                existed = true;
            } catch (NoSuchFileException e) {
                existed = false;
            } catch (IOException e) {
                if (!isFolder(chain.last(), name)) {
                    throw e;
                }
                existed = false; // a folder: there is no object at this key
            }
            chain.pruneEmpty();
            return existed;
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public List<DeleteOutcome> deleteBatch(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        checkOpen();
        return TreeDelete.run(rootDir, keys, deletePool);
    }

    @Override
    public Optional<String> readRootMarker() {
        checkOpen();
        try {
            return RootMarkerFile.read(rootDir);
        } catch (IOException e) {
            throw new StoreException("cannot read the marker " + RootMarker.NAME + " of " + describe() + ": " + Problems.describe(e), e);
        }
    }

    @Override
    public boolean createRootMarker(String text) {
        Objects.requireNonNull(text, "text");
        checkOpen();
        try {
            return RootMarkerFile.create(rootDir, text, true);
        } catch (IOException e) {
            throw new StoreException("cannot write the marker " + RootMarker.NAME + " of " + describe() + ": " + Problems.describe(e)
                    + "; check that the folder is writable", e);
        }
    }

    @Override
    public List<String> rootEntries(int limit) {
        checkOpen();
        try {
            return RootMarkerFile.entries(rootDir, limit);
        } catch (IOException e) {
            throw new StoreException("cannot read the folder " + describe() + ": " + Problems.describe(e), e);
        }
    }

    /**
     * Removes temp files left by interrupted writes (a crash between writing and linking) that were
     * last modified before {@code olderThan}; pick a time well before any write still running.
     *
     * @return how many were removed
     */
    public long removeTempFiles(Instant olderThan) {
        AtomicLong removed = new AtomicLong();
        removeInterruptedWrites("", olderThan, t -> removed.incrementAndGet());
        return removed.get();
    }

    /**
     * {@inheritDoc} Here: temp files ({@code .reclaim-tmp\...}) not modified since {@code olderThan}; a
     * write in progress keeps modifying its temp file, so it is not reported until it stalls.
     */
    @Override
    public void listInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> sink) {
        walkTempFiles(prefix, olderThan, (dir, folder, name, a) -> sink.accept(tempInfo(folder, name, a)));
    }

    /** {@inheritDoc} Folders the removal empties are removed too, up to but never including the root. */
    @Override
    public void removeInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> removed) {
        Set<String> emptied = new TreeSet<>();
        walkTempFiles(prefix, olderThan, (dir, folder, name, a) -> {
            try {
                dir.deleteFile(name);
            } catch (NoSuchFileException e) {
                return; // linked into place and dropped meanwhile
            }
            emptied.add(folder);
            removed.accept(tempInfo(folder, name, a));
        });
        for (String folder : emptied) {
            if (folder.isEmpty()) {
                continue;
            }
            String[] segments = FsNames.segments(folder);
            try (FolderChain chain = FolderChain.open(rootDir, segments, segments.length, false)) {
                chain.pruneEmpty();
            } catch (IOException e) {
                // gone or changed meanwhile: nothing to prune
            }
        }
    }

    /** A temp file found by a walk: its folder's key ({@code ""} at the root), its name, attributes. */
    private interface TempVisitor {
        void temp(Dir dir, String folder, String name, BasicFileAttributes a) throws IOException;
    }

    private void walkTempFiles(String prefix, Instant olderThan, TempVisitor visitor) {
        FsNames.Prefix p = FsNames.parsePrefix(prefix);
        if (!p.nameStart().isEmpty()) {
            throw new InvalidArgumentException("'" + prefix + "' is no folder of keys: end it with / (or give \"\" for the whole store)");
        }
        Objects.requireNonNull(olderThan, "olderThan");
        checkOpen();
        String[] folders = p.folders().toArray(new String[0]);
        if (folders.length > 0 && !root.resolve(String.join("/", folders)).toFile().exists()) {
            // the common case after a task's deletion (its purge pruned the folder): one stat, without
            // the exceptions that opening the folder chain to find it missing costs. Only a shortcut to
            // "nothing there": whatever is there is still walked through folder handles below.
            return;
        }
        String keyPrefix = folders.length == 0 ? "" : String.join("/", folders) + "/";
        try (FolderChain chain = FolderChain.open(rootDir, folders, folders.length, false)) {
            Dir start = folders.length == 0 ? rootDir.reopen() : chain.last().reopen();
            TreeWalk.walk(start, keyPrefix, "", new TreeWalk.Visitor() {
                @Override
                public void temp(Dir dir, String folderKey, String name, BasicFileAttributes a) throws IOException {
                    if (a.lastModifiedTime().toInstant().isBefore(olderThan)) {
                        visitor.temp(dir, folderKey, name, a);
                    }
                }
            });
        } catch (NoSuchFileException | NotDirectoryException | LinkNotFollowedException e) {
            // no such folder: nothing there
        } catch (IOException e) {
            throw new StoreException("cannot look for temp files under '" + prefix + "' in " + describe() + ": " + Problems.describe(e), e);
        }
    }

    private static ObjectInfo tempInfo(String folder, String name, BasicFileAttributes a) {
        return new ObjectInfo(folder.isEmpty() ? name : folder + "/" + name, a.size(), a.lastModifiedTime().toInstant());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deletePool.shutdown();
            try {
                rootDir.close();
            } catch (IOException e) {
                LOG.debug("closing root of {}", root, e);
            }
        }
    }

    @Override
    public String toString() {
        return "FileArtifactStore[" + describe() + "]";
    }

    private StoredObject write(String key, AtomicWrites.TempWriter writer) {
        String[] segments = FsNames.segments(key);
        if (!FsNames.fitsFileNames(segments)) {
            throw new StoreException("cannot store key '" + key + "' in " + describe() + ": a segment is longer than "
                    + FsNames.MAX_NAME_BYTES + " bytes, the longest file name the filesystem allows");
        }
        try {
            return writes.write(segments, writer, describe());
        } catch (IOException e) {
            throw failure("store", key, e);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private String[] segmentsOf(String key) {
        StorageKeys.validate(key);
        checkOpen();
        return FsNames.segments(key);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreException(describe() + " is closed");
        }
    }

    private static boolean isFolder(Dir dir, String name) {
        try {
            return dir.attributes(name).isDirectory();
        } catch (IOException e) {
            return false;
        }
    }

    private StoreException failure(String action, String key, IOException e) {
        String why = e instanceof LinkNotFollowedException
                ? "its path runs through a symbolic link (" + ((LinkNotFollowedException) e).getFile() + "), which the store never follows"
                : e instanceof NotDirectoryException ? "a folder on its path is a file (" + e.getMessage() + ")" : Problems.describe(e);
        return new StoreException("cannot " + action + " key '" + key + "' in " + describe() + ": " + why, e);
    }

    /** Settings of a {@link FileArtifactStore}, validated as they are set. */
    public static final class Builder {
        private final Path root;
        private int deleteThreads = DEFAULT_DELETE_THREADS;
        private boolean syncWrites = DEFAULT_SYNC_WRITES;
        private boolean preferSecure = true;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** Threads that unlink in parallel in {@link #deleteBatch}, 1 to 64; default {@link #DEFAULT_DELETE_THREADS}. */
        public Builder deleteThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new InvalidArgumentException("deleteThreads must be 1 to 64, was " + threads);
            }
            this.deleteThreads = threads;
            return this;
        }

        /**
         * Whether a put fsyncs the file and its folder before returning, so an object a put returned for
         * survives a power loss; default {@link #DEFAULT_SYNC_WRITES}. Off is for tests and scratch stores.
         */
        public Builder syncWrites(boolean sync) {
            this.syncWrites = sync;
            return this;
        }

        /** Use the path-checked fallback even where secure directory streams exist (tests cover it so). */
        Builder pathCheckedFallback() {
            this.preferSecure = false;
            return this;
        }

        /** Creates the root folder if needed and opens the store. */
        public FileArtifactStore open() {
            try {
                Files.createDirectories(root);
                Path real = root.toRealPath(); // the configured root may be reached through links; below it none are followed
                Dir dir = Dir.open(real, preferSecure);
                if (!(dir instanceof SecureDir) && preferSecure) {
                    LOG.warn("{}: this platform has no secure directory streams; using path checks, which a link "
                            + "swapped in between check and use could defeat", real);
                }
                String nameCharset = System.getProperty("sun.jnu.encoding", "UTF-8");
                if (!nameCharset.replace("-", "").equalsIgnoreCase("UTF8")) {
                    LOG.warn("{}: the JVM's file-name charset is {}, not UTF-8: keys with other characters cannot be "
                            + "stored; run with a UTF-8 locale such as LANG=C.UTF-8", real, nameCharset);
                }
                return new FileArtifactStore(real, dir, syncWrites, deleteThreads);
            } catch (IOException e) {
                throw new StoreException("cannot open artifact folder " + root + ": " + Problems.describe(e), e);
            }
        }
    }
}
