package dev.reclaim.store.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A folder held open by file descriptor ({@link SecureDirectoryStream}, Linux and macOS): every
 * operation is relative to that descriptor (openat, unlinkat, renameat, fstatat with
 * AT_SYMLINK_NOFOLLOW), so replacing a folder on the way by a link cannot redirect it.
 */
final class SecureDir implements Dir {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final SecureDirectoryStream<Path> stream;
    private final Path path;

    SecureDir(SecureDirectoryStream<Path> stream, Path path) {
        this.stream = stream;
        this.path = path;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Dir openDir(String name) throws IOException {
        Path rel = rel(name);
        // Check the type first: opening a FIFO would block, and a link gives a clearer error this way.
        BasicFileAttributes a = attributes(rel);
        if (a.isSymbolicLink()) {
            throw new LinkNotFollowedException(path.resolve(name));
        }
        if (!a.isDirectory()) {
            throw new NotDirectoryException(path.resolve(name).toString());
        }
        try {
            return new SecureDir(stream.newDirectoryStream(rel, LinkOption.NOFOLLOW_LINKS), path.resolve(name));
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw e;
        } catch (FileSystemException e) {
            // O_NOFOLLOW fails with ELOOP if the folder was replaced by a link since the check above.
            if (isLink(rel)) {
                throw new LinkNotFollowedException(path.resolve(name));
            }
            throw e;
        }
    }

    @Override
    public Dir reopen() throws IOException {
        return new SecureDir(stream.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS), path);
    }

    @Override
    public void createDir(String name) throws IOException {
        Files.createDirectory(path.resolve(name));
    }

    @Override
    public BasicFileAttributes attributes(String name) throws IOException {
        return attributes(rel(name));
    }

    private BasicFileAttributes attributes(Path rel) throws IOException {
        return stream.getFileAttributeView(rel, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
    }

    private boolean isLink(Path rel) {
        try {
            return attributes(rel).isSymbolicLink();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void deleteFile(String name) throws IOException {
        stream.deleteFile(rel(name));
    }

    @Override
    public void deleteDir(String name) throws IOException {
        stream.deleteDirectory(rel(name));
    }

    @Override
    public FileChannel newChannel(String name, Set<? extends OpenOption> options) throws IOException {
        Set<OpenOption> opts = new HashSet<>(options);
        opts.add(LinkOption.NOFOLLOW_LINKS);
        SeekableByteChannel ch = stream.newByteChannel(rel(name), opts);
        if (ch instanceof FileChannel) {
            return (FileChannel) ch;
        }
        ch.close();
        throw new FileSystemException(path.resolve(name).toString(), null,
                "the platform's secure directory stream does not return file channels");
    }

    @Override
    public void rename(String from, Dir target, String to) throws IOException {
        if (!(target instanceof SecureDir)) {
            throw new IllegalArgumentException("rename between different kinds of folder handles");
        }
        stream.move(rel(from), ((SecureDir) target).stream, rel(to));
    }

    @Override
    public void link(String existing, String newName) throws IOException {
        Files.createLink(path.resolve(rel(newName)), path.resolve(rel(existing)));
    }

    @Override
    public Iterator<String> names() {
        Iterator<Path> it = stream.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public String next() {
                return it.next().getFileName().toString();
            }
        };
    }

    @Override
    public void sync() throws IOException {
        try (FileChannel ch = newChannel(".", EnumSet.of(StandardOpenOption.READ))) {
            ch.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }

    private Path rel(String name) throws FileSystemException {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw FsNames.unencodable(path, name);
        }
    }
}
