package dev.reclaim.jobs.external;

import dev.reclaim.ReclaimException;

/**
 * The executor could not be asked (its commands are missing, time out or fail): jobs keep their last
 * known status and nothing is deleted; the message says what failed and how to check it.
 */
public class ExecutorUnavailableException extends ReclaimException {
    /** With a message naming the command that failed and what it printed. */
    public ExecutorUnavailableException(String message) {
        super(message);
    }

    /** With the cause. */
    public ExecutorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
