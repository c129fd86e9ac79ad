package dev.reclaim;

/**
 * A bad argument, query or setting. The message says what is wrong and how to fix it; nothing was
 * changed. The CLI maps it to exit code 2, the HTTP API to 400.
 */
public class InvalidArgumentException extends ReclaimException {
    public InvalidArgumentException(String message) {
        super(message);
    }
}
