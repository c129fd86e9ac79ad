package dev.reclaim.s3;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.StorageKeys;

import java.nio.charset.StandardCharsets;

/**
 * Maps storage keys to S3 object keys under the store's prefix and back. Key {@code a/b} of a store
 * with prefix {@code p/q} is the object {@code p/q/a/b}; with an empty prefix it is {@code a/b}. Every
 * key is validated by {@link StorageKeys#validate} first, and a validated key cannot climb out of the
 * prefix, so no operation reaches an object outside it.
 */
final class S3Keys {
    /** S3's limit on an object key, in bytes of UTF-8. */
    static final int MAX_OBJECT_KEY_BYTES = 1024;

    private final String prefix;
    /** {@code prefix + "/"}, or "" for the bucket root: what every object key of this store starts with. */
    private final String root;

    S3Keys(String prefix) {
        this.prefix = normalisePrefix(prefix);
        this.root = this.prefix.isEmpty() ? "" : this.prefix + "/";
    }

    /**
     * A prefix as given by a user: surrounding slashes are dropped ({@code /a/b/} is {@code a/b}), the
     * rest must be a valid storage key, so the store's own keys can never escape it.
     *
     * @throws InvalidArgumentException saying what is wrong
     */
    static String normalisePrefix(String prefix) {
        if (prefix == null) {
            throw new InvalidArgumentException("S3 key prefix is null; use \"\" for the bucket root");
        }
        int start = 0;
        int end = prefix.length();
        while (start < end && prefix.charAt(start) == '/') {
            start++;
        }
        while (end > start && prefix.charAt(end - 1) == '/') {
            end--;
        }
        String p = prefix.substring(start, end);
        if (p.isEmpty()) {
            return p;
        }
        try {
            return StorageKeys.validate(p);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("S3 key prefix '" + prefix + "' is not valid: " + e.getMessage());
        }
    }

    /** The normalised prefix ("" for the bucket root). */
    String prefix() {
        return prefix;
    }

    /** The object key for a storage key, after validating it. */
    String objectKey(String key) {
        return root + StorageKeys.validate(key);
    }

    /** True when S3 can hold {@code objectKey}: at most 1,024 bytes of UTF-8. */
    static boolean fitsS3(String objectKey) {
        return objectKey.length() <= MAX_OBJECT_KEY_BYTES / 3
                || objectKey.getBytes(StandardCharsets.UTF_8).length <= MAX_OBJECT_KEY_BYTES;
    }

    /**
     * The storage key of a listed object, or null when the object is not one of ours: outside the
     * prefix, or not a valid storage key (a folder marker {@code a/} another tool made, {@code a//b}).
     */
    String storageKeyOf(String objectKey) {
        if (!objectKey.startsWith(root) || objectKey.length() == root.length()) {
            return null;
        }
        String key = objectKey.substring(root.length());
        try {
            return StorageKeys.validate(key);
        } catch (InvalidArgumentException e) {
            return null;
        }
    }

    /**
     * The S3 list prefix for a storage-key prefix (the same rules as the filesystem store: a prefix
     * no valid key can start with is refused, "" lists everything).
     *
     * @throws InvalidArgumentException if no valid key can start with {@code keyPrefix}
     */
    String listPrefix(String keyPrefix) {
        if (keyPrefix == null) {
            throw new InvalidArgumentException("list prefix is null; use \"\" to list every object");
        }
        if (keyPrefix.length() > StorageKeys.MAX_LENGTH) {
            throw new InvalidArgumentException("list prefix is longer than " + StorageKeys.MAX_LENGTH + " characters");
        }
        if (keyPrefix.startsWith("/")) {
            throw new InvalidArgumentException("list prefix '" + keyPrefix + "' is absolute; keys are relative to the store's root");
        }
        for (int i = 0; i < keyPrefix.length(); i++) {
            char c = keyPrefix.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                throw new InvalidArgumentException("list prefix contains a backslash or control character; no key can");
            }
        }
        int start = 0;
        int slash;
        while ((slash = keyPrefix.indexOf('/', start)) >= 0) {
            String segment = keyPrefix.substring(start, slash);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidArgumentException("list prefix '" + keyPrefix
                        + "' has an empty, '.' or '..' segment; no key can start with it");
            }
            start = slash + 1;
        }
        return root + keyPrefix;
    }

    /** The object-key prefix of every object of this store: {@code prefix/}, or "" for the bucket root. */
    String root() {
        return root;
    }
}
