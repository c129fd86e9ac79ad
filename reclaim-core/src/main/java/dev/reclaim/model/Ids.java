package dev.reclaim.model;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Opaque, time-ordered identifiers that are never reused: 12 hex digits of milliseconds since the
 * epoch followed by 16 random hex digits. Sorting ids as strings sorts them by creation time.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    /** A new id whose prefix orders it at {@code at}. */
    public static String next(Instant at) {
        long millis = at.toEpochMilli();
        long random = RANDOM.nextLong();
        char[] out = new char[28];
        for (int i = 11; i >= 0; i--) {
            out[i] = HEX[(int) (millis & 0xf)];
            millis >>>= 4;
        }
        for (int i = 27; i >= 12; i--) {
            out[i] = HEX[(int) (random & 0xf)];
            random >>>= 4;
        }
        return new String(out);
    }

    /** True when {@code id} has the shape of an id made by {@link #next}. */
    public static boolean looksValid(String id) {
        if (id == null || id.length() != 28) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
