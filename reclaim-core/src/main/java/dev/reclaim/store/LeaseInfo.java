package dev.reclaim.store;

import java.time.Instant;

/**
 * Who holds a named lease.
 *
 * @param name      lease name
 * @param holder    holder id
 * @param expiresAt when it runs out unless renewed
 */
public record LeaseInfo(String name, String holder, Instant expiresAt) {
}
