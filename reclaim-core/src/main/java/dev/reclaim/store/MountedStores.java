package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.StoreException;
import dev.reclaim.model.Names;
import dev.reclaim.model.StoredObject;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The artifact store every service receives: the default root plus the named artifact stores of a
 * task store, addressed by recorded keys ({@link StorageKeys}). A plain key is the default root's;
 * {@code .reclaim-stores/NAME/KEY} is the object {@code KEY} of the store {@code NAME}. Reads,
 * deletes and listings are routed by key; Reclaim never writes into a named store, so a put to such
 * a key is refused. The root marker, the names at the top of the root and leftovers of interrupted
 * writes are the default root's: the named stores' markers are checked by {@link ArtifactRoots}.
 *
 * <p>A key of a store not configured here (a named store this process was opened without) is never
 * taken for an absent object: {@link #stat} throws, and {@link #deleteBatch} reports it {@code FAILED},
 * so the pending-delete queue keeps it until a process with that store deletes it.
 */
public final class MountedStores implements ArtifactStore {
    private final ArtifactStore defaultStore;
    private final Map<String, ArtifactStore> named;

    private MountedStores(ArtifactStore defaultStore, Map<String, ArtifactStore> named) {
        this.defaultStore = defaultStore;
        this.named = named;
    }

    /**
     * The default root with these named stores.
     *
     * @param named stores by name ({@link Names#STORE_NAME}); may be empty
     * @throws InvalidArgumentException for a bad name
     * @throws RootRefusedException     when two of the stores overlap (one's location is inside the
     *                                  other's): an object would have two keys, and deleting it by one
     *                                  would delete what a record names by the other
     */
    public static MountedStores of(ArtifactStore defaultStore, Map<String, ArtifactStore> named) {
        Objects.requireNonNull(defaultStore, "defaultStore");
        Map<String, ArtifactStore> copy = new TreeMap<>();
        named.forEach((name, store) -> copy.put(Names.STORE_NAME.check(name), Objects.requireNonNull(store, name)));
        Map<String, String> locations = new LinkedHashMap<>();
        locations.put(RootBinding.DEFAULT_NAME, defaultStore.describe());
        copy.forEach((name, store) -> {
            String location = store.describe();
            locations.forEach((other, where) -> {
                if (StoreLocations.overlap(location, where)) {
                    throw StoreLocations.overlapping(name, location, other, where);
                }
            });
            locations.put(name, location);
        });
        return new MountedStores(defaultStore, Collections.unmodifiableMap(copy));
    }

    /** The default root alone. */
    public static MountedStores of(ArtifactStore defaultStore) {
        return of(defaultStore, Map.of());
    }

    /** The default root. */
    public ArtifactStore defaultStore() {
        return defaultStore;
    }

    /** The named stores, by name in name order. */
    public Map<String, ArtifactStore> named() {
        return named;
    }

    /** The names of the configured named stores, in order. */
    public Set<String> storeNames() {
        return named.keySet();
    }

    /** The store under {@code name}: {@link RootBinding#DEFAULT_NAME} is the default root; empty if none. */
    public Optional<ArtifactStore> store(String name) {
        return RootBinding.DEFAULT_NAME.equals(name) ? Optional.of(defaultStore) : Optional.ofNullable(named.get(name));
    }

    /** The default root's location, followed by each named store's. */
    @Override
    public String describe() {
        if (named.isEmpty()) {
            return defaultStore.describe();
        }
        StringBuilder b = new StringBuilder(defaultStore.describe()).append(" (stores:");
        named.forEach((name, store) -> b.append(' ').append(name).append('=').append(store.describe()));
        return b.append(')').toString();
    }

    @Override
    public StoredObject putFileWithDigest(String key, Path source, boolean moveAllowed) {
        return defaultStore.putFileWithDigest(refuseMounted(key), source, moveAllowed);
    }

    @Override
    public void putBytes(String key, byte[] bytes) {
        defaultStore.putBytes(refuseMounted(key), bytes);
    }

    @Override
    public InputStream open(String key) {
        Target t = route(key);
        return t.store.open(t.key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Target t = route(key);
        return t.store.stat(t.key).map(o -> new ObjectInfo(key, o.sizeBytes(), o.lastModified()));
    }

    @Override
    public Optional<String> obstacle(String key) {
        Target t = route(key);
        return t.store.obstacle(t.key);
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> sink) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.startsWith(StorageKeys.RESERVED_PREFIX)) {
            defaultStore.list(prefix, sink);
        }
        boolean listed = false;
        for (Map.Entry<String, ArtifactStore> e : named.entrySet()) {
            String top = StorageKeys.MOUNTED_PREFIX + e.getKey() + "/";
            Consumer<ObjectInfo> prefixed = o -> sink.accept(new ObjectInfo(top + o.key(), o.sizeBytes(), o.lastModified()));
            if (prefix.startsWith(top)) {
                e.getValue().list(prefix.substring(top.length()), prefixed);
                listed = true;
            } else if (top.startsWith(prefix)) {
                e.getValue().list("", prefixed);
            }
        }
        if (!listed && prefix.startsWith(StorageKeys.MOUNTED_PREFIX)) {
            Optional<StorageKeys.Located> at = StorageKeys.locate(prefix);
            if (at.isPresent()) {
                throw notConfigured(at.get().store(), "listed");
            }
        }
    }

    @Override
    public boolean delete(String key) {
        Target t = route(key);
        return t.store.delete(t.key);
    }

    /** Deletes each store's keys in one batch of its own; the outcomes name the recorded keys, in the order given. */
    @Override
    public List<DeleteOutcome> deleteBatch(Collection<String> keys) {
        Map<String, List<String>> byStore = new LinkedHashMap<>();
        Map<String, DeleteOutcome> outcomes = new HashMap<>();
        for (String key : keys) {
            Optional<StorageKeys.Located> at = key == null ? Optional.empty() : StorageKeys.locate(key);
            if (at.isEmpty()) {
                outcomes.put(key, new DeleteOutcome(key, DeleteOutcome.Status.FAILED, "storage key '" + key
                        + "' names no store: a key in a named store is " + StorageKeys.MOUNTED_PREFIX + "NAME/KEY"));
            } else if (store(at.get().store()).isEmpty()) {
                outcomes.put(key, new DeleteOutcome(key, DeleteOutcome.Status.FAILED, notConfigured(at.get().store(),
                        "deleted").getMessage()));
            } else {
                byStore.computeIfAbsent(at.get().store(), n -> new ArrayList<>()).add(at.get().key());
            }
        }
        byStore.forEach((name, inner) -> {
            String top = RootBinding.DEFAULT_NAME.equals(name) ? "" : StorageKeys.MOUNTED_PREFIX + name + "/";
            try {
                for (DeleteOutcome o : store(name).orElseThrow().deleteBatch(inner)) {
                    outcomes.put(top + o.key(), new DeleteOutcome(top + o.key(), o.status(), o.error()));
                }
            } catch (RuntimeException e) {
                for (String k : inner) {
                    outcomes.put(top + k, new DeleteOutcome(top + k, DeleteOutcome.Status.FAILED, Problems.describe(e)));
                }
            }
        });
        List<DeleteOutcome> out = new ArrayList<>(keys.size());
        for (String key : keys) {
            DeleteOutcome o = outcomes.get(key);
            out.add(o != null ? o : new DeleteOutcome(key, DeleteOutcome.Status.FAILED, "the store reported no outcome"));
        }
        return out;
    }

    @Override
    public Optional<String> readRootMarker() {
        return defaultStore.readRootMarker();
    }

    @Override
    public boolean createRootMarker(String text) {
        return defaultStore.createRootMarker(text);
    }

    @Override
    public List<String> rootEntries(int limit) {
        return defaultStore.rootEntries(limit);
    }

    /** The default root's: Reclaim writes nothing into a named store, so no write there can be interrupted. */
    @Override
    public void listInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> sink) {
        if (!prefix.startsWith(StorageKeys.RESERVED_PREFIX)) {
            defaultStore.listInterruptedWrites(prefix, olderThan, sink);
        }
    }

    @Override
    public void removeInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> removed) {
        if (!prefix.startsWith(StorageKeys.RESERVED_PREFIX)) {
            defaultStore.removeInterruptedWrites(prefix, olderThan, removed);
        }
    }

    /** Closes every store, the default root last; the first failure is thrown once all were tried. */
    @Override
    public void close() {
        RuntimeException first = null;
        List<ArtifactStore> all = new ArrayList<>(named.values());
        all.add(defaultStore);
        for (ArtifactStore s : all) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "MountedStores[" + describe() + "]";
    }

    // ---- routing --------------------------------------------------------------------------------

    private record Target(ArtifactStore store, String key) {
    }

    private Target route(String key) {
        if (!StorageKeys.isMounted(key)) {
            return new Target(defaultStore, key);
        }
        StorageKeys.Located at = StorageKeys.locate(key).orElseThrow(() -> new InvalidArgumentException("storage key '"
                + key + "' names no store: a key in a named store is " + StorageKeys.MOUNTED_PREFIX + "NAME/KEY"));
        ArtifactStore store = named.get(at.store());
        if (store == null) {
            throw notConfigured(at.store(), "read");
        }
        return new Target(store, at.key());
    }

    private String refuseMounted(String key) {
        if (StorageKeys.isMounted(key)) {
            String name = StorageKeys.locate(key).map(StorageKeys.Located::store).orElse("?");
            throw new InvalidArgumentException("cannot store key '" + key + "': it is in the named artifact store '" + name
                    + "', and Reclaim never writes into a registered store (it only reads and deletes the objects "
                    + "registered there); store new bytes in the default root");
        }
        return key;
    }

    private StoreException notConfigured(String name, String what) {
        return new StoreException("the artifact store '" + name + "' is not open in this process"
                + (named.isEmpty() ? "" : " (open: " + String.join(", ", named.keySet()) + ")")
                + ", so its objects cannot be " + what + "; open the home with that store (it is opened with "
                + "every store 'reclaim stores list' shows) or add it with 'reclaim stores add " + name + " LOCATION'");
    }
}
