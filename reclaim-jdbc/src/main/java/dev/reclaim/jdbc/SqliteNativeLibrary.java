package dev.reclaim.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Gives sqlite-jdbc a temporary folder of this process's own ({@code org.sqlite.tmpdir}) for its
 * native library. In the shared {@code java.io.tmpdir} every starting driver deletes the libraries
 * of processes whose lock file is gone, racing the exiting processes that delete their own, and
 * logs each lost race with a stack trace: concurrent CLI starts printed one now and then.
 *
 * <p>The folder is {@code java.io.tmpdir/reclaim-sqlite-RANDOM}, created readable by its owner only
 * (no other user can swap the library before it is loaded) and removed on exit. A process killed
 * before its exit leaves it behind; a later start removes such folders: a folder is taken as
 * abandoned only when its {@code .ready} marker exists (written once the folder's lock is held) and
 * its lock can be taken, which no live process allows. A setting chosen by the user
 * ({@code org.sqlite.tmpdir}, {@code org.sqlite.lib.path}) is left as it is.
 */
final class SqliteNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String PREFIX = "reclaim-sqlite-";
    private static final String LOCK = ".lock";
    private static final String READY = ".ready";
    /** Held until the process ends: the lock that tells other processes this folder is in use. */
    private static FileLock held;

    private SqliteNativeLibrary() {
    }

    /** Points the driver at a private folder, once per process, before the driver loads its library. */
    static synchronized void usePrivateFolder() {
        if (held != null || System.getProperty("org.sqlite.tmpdir") != null || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        Path shared = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path own = Files.createTempDirectory(shared, PREFIX);
            // registered before the driver registers its files, so deleted after them
            own.toFile().deleteOnExit();
            own.resolve(LOCK).toFile().deleteOnExit();
            own.resolve(READY).toFile().deleteOnExit();
            FileChannel channel = FileChannel.open(own.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            held = channel.lock();
            Files.createFile(own.resolve(READY));
            System.setProperty("org.sqlite.tmpdir", own.toString());
            removeAbandoned(shared, own);
        } catch (IOException | RuntimeException e) {
            // the driver then uses the shared folder, as it would without this
            LOG.debug("no private folder for the SQLite native library under {}: {}", shared, e.toString());
        }
    }

    private static void removeAbandoned(Path shared, Path own) throws IOException {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(shared, PREFIX + "*")) {
            for (Path folder : folders) {
                if (!folder.equals(own) && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                        && Files.exists(folder.resolve(READY), LinkOption.NOFOLLOW_LINKS)) {
                    removeIfAbandoned(folder);
                }
            }
        }
    }

    private static void removeIfAbandoned(Path folder) {
        try (FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return; // its process is alive
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                for (Path f : files) {
                    Files.deleteIfExists(f); // a link is removed, never followed
                }
            }
            Files.deleteIfExists(folder);
        } catch (IOException | RuntimeException e) {
            LOG.debug("left {} in place: {}", folder, e.toString());
        }
    }
}
