package dev.reclaim.jdbc;

import dev.reclaim.model.StoredObject;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.ObjectInfo;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real artifact store with injected delete faults: every {@code failEvery}-th key fails (without
 * being deleted), or every batch hangs until released. Everything else goes to the real store.
 */
final class FaultyArtifactStore implements ArtifactStore {
    private final ArtifactStore real;
    private final AtomicInteger seen = new AtomicInteger();
    private final CountDownLatch hangUntil = new CountDownLatch(1);
    volatile int failEvery;
    volatile boolean hang;
    /** Run after each batch the real store deleted, before its outcomes are returned (null: nothing). */
    volatile Runnable afterDelete;

    FaultyArtifactStore(ArtifactStore real) {
        this.real = real;
    }

    void heal() {
        failEvery = 0;
        hang = false;
        hangUntil.countDown();
    }

    @Override
    public List<DeleteOutcome> deleteBatch(Collection<String> keys) {
        if (hang) {
            try {
                hangUntil.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hanging");
            }
        }
        List<String> pass = new ArrayList<>();
        List<DeleteOutcome> out = new ArrayList<>();
        for (String k : keys) {
            int n = seen.incrementAndGet();
            if (failEvery > 0 && n % failEvery == 0) {
                out.add(new DeleteOutcome(k, DeleteOutcome.Status.FAILED, "injected failure (503 Slow Down)"));
            } else {
                pass.add(k);
            }
        }
        out.addAll(real.deleteBatch(pass));
        Runnable after = afterDelete;
        if (after != null) {
            after.run();
        }
        return out;
    }

    @Override public String describe() { return "faulty " + real.describe(); }
    @Override public StoredObject putFileWithDigest(String key, Path source, boolean moveAllowed) { return real.putFileWithDigest(key, source, moveAllowed); }
    @Override public void putBytes(String key, byte[] bytes) { real.putBytes(key, bytes); }
    @Override public InputStream open(String key) { return real.open(key); }
    @Override public Optional<ObjectInfo> stat(String key) { return real.stat(key); }
    @Override public Optional<String> obstacle(String key) { return real.obstacle(key); }
    @Override public void list(String prefix, Consumer<ObjectInfo> sink) { real.list(prefix, sink); }
    @Override public boolean delete(String key) { return real.delete(key); }
    @Override public Optional<String> readRootMarker() { return real.readRootMarker(); }
    @Override public boolean createRootMarker(String text) { return real.createRootMarker(text); }
    @Override public List<String> rootEntries(int limit) { return real.rootEntries(limit); }
    @Override public void listInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> sink) { real.listInterruptedWrites(prefix, olderThan, sink); }
    @Override public void removeInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> removed) { real.removeInterruptedWrites(prefix, olderThan, removed); }
    @Override public void close() { real.close(); }
}
