package dev.reclaim.store.fs;

import dev.reclaim.store.RootMarker;
import dev.reclaim.store.StorageKeys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The identity marker of a {@link FileArtifactStore}'s root: the file {@link RootMarker#NAME} in the
 * root folder, read and written through the root's handle without following links.
 */
final class RootMarkerFile {
    private static final EnumSet<StandardOpenOption> READ = EnumSet.of(StandardOpenOption.READ);
    private static final EnumSet<StandardOpenOption> NEW_FILE = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private RootMarkerFile() {
    }

    static Optional<String> read(Dir root) throws IOException {
        BasicFileAttributes a;
        try {
            a = root.attributes(RootMarker.NAME);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!a.isRegularFile() || a.size() > RootMarker.MAX_BYTES) {
            return Optional.of(""); // a link, folder or something large: no marker Reclaim wrote
        }
        try (FileChannel in = root.newChannel(RootMarker.NAME, READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(RootMarker.MAX_BYTES + 1);
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // read to the end or past the limit
            }
            buffer.flip();
            return Optional.of(StandardCharsets.UTF_8.decode(buffer).toString());
        }
    }

    /**
     * Writes the whole text to a temp file, then links it under the marker's name, which fails if
     * anything is there: the marker appears complete or not at all, and never replaces another.
     *
     * <p>The temp file is made in {@code tasks/}, never at the top of the root: temp files exist
     * only under {@code tasks/}, where fsck and the Cleanup Service look for those a crash left. A
     * {@code tasks/} folder made for it is removed again when empty, so a new root holds just the
     * marker; one a crash leaves behind (without objects) does not stop the root counting as new.
     */
    static boolean create(Dir root, String text, boolean sync) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean made = false;
            try {
                root.createDir(StorageKeys.TASKS_FOLDER);
                made = true;
            } catch (FileAlreadyExistsException e) {
                // made by objects, or by another claim now; openDir refuses it if it is no folder
            }
            try (Dir tasks = root.openDir(StorageKeys.TASKS_FOLDER)) {
                return create(root, tasks, FsNames.newTempName(), text, sync);
            } catch (NoSuchFileException e) {
                if (attempt >= 2) {
                    throw e; // another claim removed the folder each time: give up rather than spin
                }
            } finally {
                if (made) {
                    removeIfEmpty(root);
                }
            }
        }
    }

    private static void removeIfEmpty(Dir root) {
        try {
            root.deleteDir(StorageKeys.TASKS_FOLDER);
        } catch (IOException e) {
            // not empty (objects, or another claim's temp file) or gone: either way it stays as it is
        }
    }

    private static boolean create(Dir root, Dir tasks, String temp, String text, boolean sync) throws IOException {
        try {
            try (FileChannel out = tasks.newChannel(temp, NEW_FILE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                if (sync) {
                    out.force(true);
                }
            }
            try {
                // link(2) never follows a link and fails when the name exists; Java has no linkat, so by path
                Files.createLink(root.path().resolve(RootMarker.NAME), tasks.path().resolve(temp));
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                if (attributesOrNull(root, RootMarker.NAME) != null) {
                    return false;
                }
                return createInPlace(root, text, sync); // a filesystem without hard links
            }
            if (sync) {
                root.sync();
            }
            return true;
        } finally {
            try {
                tasks.deleteFile(temp);
            } catch (NoSuchFileException e) {
                // already gone
            }
        }
    }

    /** Without hard links: create the name exclusively and write into it (a crash may leave it partial). */
    private static boolean createInPlace(Dir root, String text, boolean sync) throws IOException {
        try (FileChannel out = root.newChannel(RootMarker.NAME, NEW_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            if (sync) {
                out.force(true);
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        if (sync) {
            root.sync();
        }
        return true;
    }

    static List<String> entries(Dir root, int limit) throws IOException {
        List<String> found = new ArrayList<>();
        try (Dir dir = root.reopen()) {
            Iterator<String> names = dir.names();
            while (found.size() < limit) {
                String name;
                try {
                    if (!names.hasNext()) {
                        break;
                    }
                    name = names.next();
                } catch (DirectoryIteratorException e) {
                    throw e.getCause();
                }
                if (StorageKeys.isReservedName(name)) {
                    continue;
                }
                try {
                    found.add(dir.attributes(name).isDirectory() ? name + "/" : name);
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                } catch (IOException e) {
                    found.add(name); // there, even if unreadable
                }
            }
        }
        return found;
    }

    private static BasicFileAttributes attributesOrNull(Dir dir, String name) {
        try {
            return dir.attributes(name);
        } catch (IOException e) {
            return null;
        }
    }
}
