package dev.reclaim.store;

import dev.reclaim.ReclaimException;

import java.util.Optional;

/** A fenced write was refused: its writer no longer holds the lease it relies on. Nothing was written. */
public final class LeaseLostException extends ReclaimException {
    private final transient LeaseInfo current;

    /**
     * @param fence   the condition that failed
     * @param current the lease as the store holds it now, or null when nobody holds it
     */
    public LeaseLostException(LeaseFence fence, LeaseInfo current) {
        super(describe(fence, current));
        this.current = current;
    }

    /** The lease as the store held it when the write was refused; empty when nobody held it. */
    public Optional<LeaseInfo> current() {
        return Optional.ofNullable(current);
    }

    private static String describe(LeaseFence fence, LeaseInfo current) {
        String lease = "the lease '" + fence.name() + "' is no longer held by " + fence.holder() + ": ";
        if (current == null) {
            return lease + "nobody holds it (it ran out or was released)";
        }
        if (!current.holder().equals(fence.holder())) {
            return lease + "it is held by " + current.holder() + " until " + current.expiresAt();
        }
        return lease + "it ran out at " + current.expiresAt() + " before it was renewed";
    }
}
