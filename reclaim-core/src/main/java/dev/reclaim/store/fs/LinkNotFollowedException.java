package dev.reclaim.store.fs;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** A folder on a key's path is a symbolic link, which the store never follows. */
final class LinkNotFollowedException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    LinkNotFollowedException(Path link) {
        super(link.toString(), null, "is a symbolic link; links are never followed");
    }
}
