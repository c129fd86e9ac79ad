package dev.reclaim.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The condition a fenced write relies on: {@code holder} still holds the named lease, and it has
 * not run out at {@code now}. The store checks it in the transaction that writes, so a process
 * that lost its lease (it ran out, and perhaps another process took it) cannot write any more,
 * however late it notices.
 *
 * @param name   the lease
 * @param holder who must hold it
 * @param now    the writer's time; the lease must expire after it
 */
public record LeaseFence(String name, String holder, Instant now) {
    public LeaseFence {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(now, "now");
    }
}
