package dev.reclaim;

/**
 * A request that is well-formed but refused because of what it would change: a name the task
 * already has, an artifact that is protected. The message names what is in the way and how to
 * proceed; nothing was changed. The CLI maps it to exit code 3, the HTTP API to 409.
 */
public class RefusedException extends ReclaimException {
    public RefusedException(String message) {
        super(message);
    }
}
