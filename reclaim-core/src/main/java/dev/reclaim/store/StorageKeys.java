package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Names;

import java.util.Optional;

/**
 * Storage key rules, shared by every {@link ArtifactStore}: 1 to 1,024 characters, relative,
 * segments separated by {@code /}, no empty, {@code .} or {@code ..} segment, no backslash, no
 * control characters, and not starting with {@link #RESERVED_PREFIX}. A key that passes cannot name
 * anything outside the store's root, nor Reclaim's own files in it (the root's identity marker).
 *
 * <p><b>Recorded keys.</b> An artifact record names its object by a global key: a plain key for an
 * object in the default root, or {@code .reclaim-stores/NAME/KEY} ({@link #mounted}) for the object
 * {@code KEY} of the named artifact store {@code NAME}. No object of any root can have such a key,
 * since every store refuses keys starting with {@link #RESERVED_PREFIX}; so the deletion queue, the
 * live-reference checks and fsck treat both forms alike, and {@link MountedStores} routes them.
 */
public final class StorageKeys {
    /** Longest key accepted. */
    public static final int MAX_LENGTH = 1024;
    /**
     * What the names Reclaim keeps for itself at the top of a root start with (the identity marker
     * {@code .reclaim-root}, the S3 access probe, temp files): no key's first segment may, so no
     * operation by key can read, overwrite, list or delete them.
     */
    public static final String RESERVED_PREFIX = ".reclaim";
    /**
     * What the recorded key of an object in a named artifact store starts with:
     * {@code .reclaim-stores/NAME/KEY} ({@link #mounted}).
     */
    public static final String MOUNTED_PREFIX = RESERVED_PREFIX + "-stores/";
    /** The folder of Reclaim's own key namespace: {@code tasks/<task id>/...}. */
    public static final String TASKS_FOLDER = "tasks";

    private StorageKeys() {
    }

    /**
     * Returns {@code key} if it is valid.
     *
     * @throws InvalidArgumentException saying what is wrong with the key
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidArgumentException("storage key is empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("storage key is longer than " + MAX_LENGTH + " characters");
        }
        if (key.startsWith("/")) {
            throw new InvalidArgumentException("storage key '" + key + "' is absolute; keys are relative to the store's root");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                throw new InvalidArgumentException("storage key '" + printable(key) + "' contains a backslash or control character");
            }
        }
        if (key.startsWith(RESERVED_PREFIX)) {
            throw new InvalidArgumentException("storage key '" + key + "' starts with '" + RESERVED_PREFIX
                    + "', which Reclaim keeps for its own files in a root; choose another first segment");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidArgumentException("storage key '" + key + "' has an empty, '.' or '..' segment; keys may not leave the store's root");
            }
        }
        return key;
    }

    /**
     * True when {@code key} lies in Reclaim's own namespace, {@code tasks/<task id>/...} with an id
     * of the shape Reclaim makes: the only keys Reclaim itself writes, so the only objects without
     * a record that fsck may delete as orphans. Anything else in a root is someone else's.
     */
    public static boolean isInReclaimNamespace(String key) {
        String start = TASKS_FOLDER + "/";
        if (key == null || !key.startsWith(start)) {
            return false;
        }
        int slash = key.indexOf('/', start.length());
        return slash > 0 && slash < key.length() - 1 && Ids.looksValid(key.substring(start.length(), slash));
    }

    /** The task id of a key in Reclaim's namespace ({@link #isInReclaimNamespace}), else null. */
    public static String taskIdOf(String key) {
        if (!isInReclaimNamespace(key)) {
            return null;
        }
        int start = TASKS_FOLDER.length() + 1;
        return key.substring(start, key.indexOf('/', start));
    }

    /** True when a name at the top of a root is one Reclaim keeps for itself (never a key). */
    public static boolean isReservedName(String topLevelName) {
        return topLevelName.startsWith(RESERVED_PREFIX);
    }

    /**
     * The recorded key of the object {@code key} in the named artifact store {@code storeName}:
     * {@code .reclaim-stores/NAME/KEY}.
     *
     * @throws InvalidArgumentException when the name is no store name ({@link Names#STORE_NAME}) or
     *                                  the key is no valid key
     */
    public static String mounted(String storeName, String key) {
        Names.STORE_NAME.check(storeName);
        return MOUNTED_PREFIX + storeName + "/" + validate(key);
    }

    /** True when {@code recordedKey} has the form of a key in a named store ({@code .reclaim-stores/...}). */
    public static boolean isMounted(String recordedKey) {
        return recordedKey != null && recordedKey.startsWith(MOUNTED_PREFIX);
    }

    /**
     * A recorded key split into its store and its key there.
     *
     * @param store the named store, or {@link RootBinding#DEFAULT_NAME} for a plain key
     * @param key   the key in that store
     */
    public record Located(String store, String key) {
        /** True for an object of the default root. */
        public boolean inDefault() {
            return RootBinding.DEFAULT_NAME.equals(store);
        }
    }

    /**
     * Splits a recorded key without validating it: {@code .reclaim-stores/NAME/KEY} is
     * ({@code NAME}, {@code KEY}), anything else is ({@code default}, the key). Empty for a key that
     * starts with {@link #MOUNTED_PREFIX} but has no {@code /} after the name, or an empty name.
     */
    public static Optional<Located> locate(String recordedKey) {
        if (!isMounted(recordedKey)) {
            return Optional.of(new Located(RootBinding.DEFAULT_NAME, recordedKey));
        }
        int slash = recordedKey.indexOf('/', MOUNTED_PREFIX.length());
        if (slash <= MOUNTED_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(new Located(recordedKey.substring(MOUNTED_PREFIX.length(), slash), recordedKey.substring(slash + 1)));
    }

    /**
     * Returns {@code recordedKey} if it is a key an artifact record may hold: a valid plain key
     * ({@link #validate}), or {@code .reclaim-stores/NAME/KEY} whose name is a store name
     * ({@link Names#STORE_NAME}) and whose key is valid.
     *
     * @throws InvalidArgumentException saying what is wrong
     */
    public static String validateRecorded(String recordedKey) {
        if (!isMounted(recordedKey)) {
            return validate(recordedKey);
        }
        Located at = locate(recordedKey).orElseThrow(() -> new InvalidArgumentException("storage key '"
                + printable(recordedKey) + "' names no store: a key in a named store is " + MOUNTED_PREFIX + "NAME/KEY"));
        Names.STORE_NAME.check(at.store());
        validate(at.key());
        return recordedKey;
    }

    /** Builds a key from segments, validating the result. */
    public static String of(String... segments) {
        return validate(String.join("/", segments));
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
