package dev.reclaim.tasks;

import dev.reclaim.ReclaimException;
import dev.reclaim.RefusedException;

/**
 * One item of a batch ({@link Tasks#createAll}, {@link Tasks#registerArtifacts}) was refused, so
 * nothing of the batch was done. The message starts with the item's position; the cause is what
 * the same call for that item alone would have thrown.
 */
public final class BatchItemException extends ReclaimException {
    private final int index;

    BatchItemException(int index, ReclaimException cause) {
        super("item " + index + ": " + cause.getMessage() + " (nothing of the batch was done)", cause);
        this.index = index;
    }

    /** The position of the refused item in the batch, from 0. */
    public int index() {
        return index;
    }

    /** True when the item was refused by a rule (a taken name, a running job), not for bad input. */
    public boolean refused() {
        return getCause() instanceof RefusedException;
    }
}
