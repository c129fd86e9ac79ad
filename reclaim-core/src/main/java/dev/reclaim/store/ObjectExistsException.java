package dev.reclaim.store;

import dev.reclaim.StoreException;

/**
 * A put was refused because something is already stored under its key: artifact stores never
 * replace an object (docs/rules.md invariant 6), so a new version always goes under a new key.
 * Nothing was changed: the object there keeps its bytes, and a source file is left in place.
 */
public class ObjectExistsException extends StoreException {
    private final String key;

    public ObjectExistsException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The storage key that is taken. */
    public String key() {
        return key;
    }
}
