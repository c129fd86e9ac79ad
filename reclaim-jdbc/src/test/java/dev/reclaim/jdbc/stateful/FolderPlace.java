package dev.reclaim.jdbc.stateful;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.fs.FileArtifactStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A folder on the local filesystem, the embedded default. */
final class FolderPlace implements Place {
    final Path root;

    FolderPlace(Path root) {
        this.root = root;
    }

    @Override
    public ArtifactStore open() {
        return FileArtifactStore.builder(root).syncWrites(false).open();
    }

    @Override
    public void putForeign(String name, byte[] bytes) {
        try {
            Path p = root.resolve(name).normalize();
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<byte[]> read(String name) {
        Path p = root.resolve(name).normalize();
        try {
            return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> everything() {
        try (var walk = Files.walk(root)) {
            return walk.filter(p -> !Files.isDirectory(p)).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
