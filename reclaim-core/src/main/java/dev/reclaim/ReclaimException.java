package dev.reclaim;

/** Root of every exception Reclaim throws. Unchecked; subclasses carry context. */
public class ReclaimException extends RuntimeException {
    public ReclaimException(String message) {
        super(message);
    }

    public ReclaimException(String message, Throwable cause) {
        super(message, cause);
    }
}
