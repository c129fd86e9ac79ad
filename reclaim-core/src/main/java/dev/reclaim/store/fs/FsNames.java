package dev.reclaim.store.fs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.StorageKeys;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * File names the store uses. Temp files are named {@code .reclaim-tmp\<16 hex digits>}: the backslash
 * is a legal file-name character on Linux and macOS but can never appear in a storage key, so a temp
 * file can never collide with, or be listed as, an object.
 */
final class FsNames {
    /** Start of every temp-file name; contains a backslash, which no storage key can contain. */
    static final String TEMP_PREFIX = ".reclaim-tmp\\";

    private FsNames() {
    }

    /** Longest file name, in bytes, of the filesystems Linux runs on (NAME_MAX of ext4, xfs, btrfs, tmpfs). */
    static final int MAX_NAME_BYTES = 255;

    /**
     * True when every segment fits in a file name ({@link #MAX_NAME_BYTES} bytes of UTF-8); a key with
     * a longer segment can be valid yet never stored on a filesystem.
     */
    static boolean fitsFileNames(String[] segments) {
        for (String segment : segments) {
            if (segment.length() > MAX_NAME_BYTES / 3 && utf8Length(segment) > MAX_NAME_BYTES) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The JVM cannot turn a name into file-name bytes: its file-name charset is not UTF-8. */
    static FileSystemException unencodable(Path dir, String name) {
        return new FileSystemException(dir.toString(), null, "the name '" + name + "' cannot be encoded in this JVM's "
                + "file-name charset (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding")
                + "); run with a UTF-8 locale such as LANG=C.UTF-8");
    }

    static String newTempName() {
        return TEMP_PREFIX + String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    static boolean isTempName(String name) {
        return name.startsWith(TEMP_PREFIX);
    }

    /** True if {@code name} can be one segment of a storage key (so list() may report it). */
    static boolean isKeySegment(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** The segments of a valid key. */
    static String[] segments(String key) {
        return key.split("/", -1);
    }

    /**
     * A list prefix split into the folders it fully names and the start of a name in the last of
     * them: {@code "a/b/c"} is folders {@code [a, b]} and name start {@code "c"}; {@code "a/"} is
     * {@code [a]} and {@code ""}.
     */
    record Prefix(List<String> folders, String nameStart) {
    }

    /**
     * Parses a list prefix.
     *
     * @throws InvalidArgumentException if no valid key can start with it
     */
    static Prefix parsePrefix(String prefix) {
        if (prefix == null) {
            throw new InvalidArgumentException("list prefix is null; use \"\" to list every object");
        }
        if (prefix.length() > StorageKeys.MAX_LENGTH) {
            throw new InvalidArgumentException("list prefix is longer than " + StorageKeys.MAX_LENGTH + " characters");
        }
        if (prefix.startsWith("/")) {
            throw new InvalidArgumentException("list prefix '" + prefix + "' is absolute; keys are relative to the store's root");
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                throw new InvalidArgumentException("list prefix contains a backslash or control character; no key can");
            }
        }
        List<String> folders = new ArrayList<>();
        int start = 0;
        int slash;
        while ((slash = prefix.indexOf('/', start)) >= 0) {
            String segment = prefix.substring(start, slash);
            if (!isKeySegment(segment)) {
                throw new InvalidArgumentException("list prefix '" + prefix
                        + "' has an empty, '.' or '..' segment; no key can start with it");
            }
            folders.add(segment);
            start = slash + 1;
        }
        return new Prefix(folders, prefix.substring(start));
    }
}
