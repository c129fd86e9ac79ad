package dev.reclaim;

/** A storage backend failed (SQL, I/O, SDK errors are wrapped in this at the backend boundary). */
public class StoreException extends ReclaimException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
