package dev.reclaim.store;

import dev.reclaim.model.StoredObject;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Object storage for artifacts, addressed by storage key. Keys are validated by
 * {@link StorageKeys#validate(String)} before use: relative, {@code /}-separated, no {@code .} or
 * {@code ..} segments, so no operation can leave the store's root. Links are never followed.
 * Implementations are thread-safe; I/O and SDK failures are wrapped in {@link dev.reclaim.StoreException}.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Where the store lives, for messages: {@code file:/path} or {@code s3://bucket/prefix}. */
    String describe();

    /**
     * Stores the file at {@code source} under {@code key}, which must not hold an object yet: a put
     * never replaces stored bytes (docs/rules.md invariant 6), even when two puts of one key race
     * (exactly one succeeds). When {@code moveAllowed} the store may move the file instead of copying
     * it (the caller no longer needs it), which on a local store of the same filesystem is a rename;
     * a refused or failed put leaves the source in place.
     *
     * @return the stored size in bytes
     * @throws ObjectExistsException when something is already stored under {@code key}; nothing changed
     */
    default long putFile(String key, Path source, boolean moveAllowed) {
        return putFileWithDigest(key, source, moveAllowed).sizeBytes();
    }

    /**
     * {@link #putFile}, returning also the SHA-256 digest of the stored bytes, computed while they
     * were copied (the source is read once).
     *
     * @throws ObjectExistsException when something is already stored under {@code key}; nothing changed
     */
    StoredObject putFileWithDigest(String key, Path source, boolean moveAllowed);

    /**
     * Stores {@code bytes} under {@code key}, which must not hold an object yet (see {@link #putFile}).
     *
     * @throws ObjectExistsException when something is already stored under {@code key}; nothing changed
     */
    void putBytes(String key, byte[] bytes);

    /**
     * Opens an object for reading.
     *
     * @throws dev.reclaim.StoreException if there is no such object, or the store cannot be reached
     */
    InputStream open(String key);

    /**
     * Size and modification time of an object; empty only when the store answered that there is no
     * object at {@code key}. A store that cannot say (I/O error, permission denied, timeout, an
     * unreachable endpoint, a missing bucket, a server error) throws: callers such as fsck drop
     * records on "empty", so an error must never look like absence.
     *
     * @throws dev.reclaim.StoreException when the store cannot tell whether the object exists
     */
    Optional<ObjectInfo> stat(String key);

    /**
     * For a key {@link #stat} reports absent: what is in the way when that is not simply nothing,
     * such as a link the store does not follow, a folder, a special file, or a file where a folder
     * of the key's path belongs. The bytes may well exist behind it (an object moved to another disk
     * and linked back), so fsck does not take such a key for a missing object. Empty when nothing is
     * at the key; stores without such things (S3) always answer empty.
     *
     * @throws dev.reclaim.StoreException when the store cannot tell
     */
    default Optional<String> obstacle(String key) {
        return Optional.empty();
    }

    /**
     * Calls {@code sink} for every object whose key starts with {@code prefix} (empty: all),
     * streaming: memory stays flat however many objects there are. Order is unspecified.
     *
     * @throws dev.reclaim.StoreException when the store cannot be listed (some objects may have been
     *                                    reported already); never a silently shortened listing
     */
    void list(String prefix, Consumer<ObjectInfo> sink);

    /**
     * Deletes one object.
     *
     * @return true if it existed, false if it was already gone
     */
    boolean delete(String key);

    /**
     * Deletes many objects as fast as the storage allows (filesystem: parallel unlink and pruning of
     * emptied folders up to the root; S3: one DeleteObjects request per 1,000 keys). Never throws
     * for a single key: each key gets an outcome. An object already gone is {@code ABSENT}.
     *
     * @return one outcome per key, in any order
     */
    List<DeleteOutcome> deleteBatch(Collection<String> keys);

    // ---- the root's identity marker (RootMarker) ------------------------------------------------

    /**
     * The text of the root's identity marker ({@link RootMarker#NAME} at the top of the root), or
     * empty when there is none. Something other than a regular file or object under that name (a
     * link, a folder) reads as {@code ""}, which is no valid marker. Links are never followed.
     */
    Optional<String> readRootMarker();

    /**
     * Writes the root's identity marker if the root has none, atomically: another writer at the same
     * moment either loses (false) or makes this one lose; a crash leaves the whole marker or none.
     *
     * @return true if written, false if a marker (anything under that name) was already there; it is
     *         left as it was
     */
    boolean createRootMarker(String text);

    /**
     * Up to {@code limit} names at the top of the root other than Reclaim's reserved ones
     * ({@link StorageKeys#isReservedName}), whatever they are: objects, folders (S3: common prefixes),
     * links, special files, names no key can have. Folders end with {@code /}. Empty for an empty
     * root: what tells a new root from someone else's.
     */
    List<String> rootEntries(int limit);
    /**
     * Calls {@code sink} for each leftover of an interrupted write (a put whose process died before
     * the object got its key) under {@code prefix} and untouched since {@code olderThan}: never an
     * object, never listed by {@link #list}. {@link ObjectInfo#key()} then says where it is, for
     * people; it is no storage key. A store whose puts leave nothing behind when interrupted (S3's
     * PutObject) reports none.
     *
     * @param prefix a folder of keys ending in {@code /} (a killed put leaves its leftover in its
     *               key's folder), or {@code ""} for the whole store
     */
    default void listInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> sink) {
    }

    /**
     * Removes the leftovers {@link #listInterruptedWrites} reports, telling {@code removed} about each.
     * Pick {@code olderThan} well before any write still running.
     */
    default void removeInterruptedWrites(String prefix, Instant olderThan, Consumer<ObjectInfo> removed) {
    }

    /** Releases resources. */
    @Override
    void close();
}
