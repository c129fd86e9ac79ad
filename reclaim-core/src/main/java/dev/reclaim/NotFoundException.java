package dev.reclaim;

/** What a request names does not exist (never did, or was deleted); the message says how to find what does. */
public class NotFoundException extends ReclaimException {
    /** With a message that names what was not found and how to find what exists. */
    public NotFoundException(String message) {
        super(message);
    }
}
