package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;

/**
 * Storage key rules, shared by every {@link ArtifactStore}: 1 to 1,024 characters, relative,
 * segments separated by {@code /}, no empty, {@code .} or {@code ..} segment, no backslash, no
 * control characters. A key that passes cannot name anything outside the store's root.
 */
public final class StorageKeys {
    /** Longest key accepted. */
    public static final int MAX_LENGTH = 1024;

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
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidArgumentException("storage key '" + key + "' has an empty, '.' or '..' segment; keys may not leave the store's root");
            }
        }
        return key;
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
