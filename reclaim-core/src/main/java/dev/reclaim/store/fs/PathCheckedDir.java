package dev.reclaim.store.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The fallback for platforms without {@link java.nio.file.SecureDirectoryStream}: operations go by
 * absolute path, and each step checks the entry with {@code NOFOLLOW_LINKS} first (a link is refused,
 * a folder is never unlinked as a file, a link is never removed as a folder). This refuses every link
 * that is in place when the check runs, but unlike {@link SecureDir} it has a check-then-use window:
 * a folder swapped for a link between the check and the use is followed.
 */
final class PathCheckedDir implements Dir {
    private final Path path;
    private DirectoryStream<Path> listing;

    PathCheckedDir(Path path) {
        this.path = path;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Dir openDir(String name) throws IOException {
        Path child = child(name);
        BasicFileAttributes a = attributes(name);
        if (a.isSymbolicLink()) {
            throw new LinkNotFollowedException(child);
        }
        if (!a.isDirectory()) {
            throw new NotDirectoryException(child.toString());
        }
        return new PathCheckedDir(child);
    }

    @Override
    public Dir reopen() {
        return new PathCheckedDir(path);
    }

    @Override
    public void createDir(String name) throws IOException {
        Files.createDirectory(child(name));
    }

    @Override
    public BasicFileAttributes attributes(String name) throws IOException {
        return Files.readAttributes(child(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void deleteFile(String name) throws IOException {
        if (attributes(name).isDirectory()) {
            throw new FileSystemException(child(name).toString(), null, "is a folder");
        }
        Files.delete(child(name));
    }

    @Override
    public void deleteDir(String name) throws IOException {
        if (!attributes(name).isDirectory()) {
            throw new NotDirectoryException(child(name).toString());
        }
        Files.delete(child(name));
    }

    @Override
    public FileChannel newChannel(String name, Set<? extends OpenOption> options) throws IOException {
        Set<OpenOption> opts = new HashSet<>(options);
        opts.add(LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(child(name), opts);
    }

    @Override
    public void rename(String from, Dir target, String to) throws IOException {
        Files.move(child(from), ((PathCheckedDir) target).child(to), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void link(String existing, String newName) throws IOException {
        Files.createLink(child(newName), child(existing));
    }

    @Override
    public Iterator<String> names() throws IOException {
        listing = Files.newDirectoryStream(path);
        Iterator<Path> it = listing.iterator();
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
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private Path child(String name) throws FileSystemException {
        try {
            return path.resolve(name);
        } catch (InvalidPathException e) {
            throw FsNames.unencodable(path, name);
        }
    }

    @Override
    public void close() throws IOException {
        if (listing != null) {
            listing.close();
        }
    }
}
