package dev.reclaim.delete;

import dev.reclaim.InvalidArgumentException;

import java.time.Duration;

/**
 * Tuning of the deletion engine. Validated on construction: a bad value is an error, never replaced.
 *
 * @param batchSize       queue entries purged per storage batch (S3 allows at most 1,000 keys per request); a
 *                        batched deletion claims ten batches at once and hands them the store in one call
 * @param maxAttempts     attempts per object within one call before it is left queued for a later run
 * @param initialBackoff  wait before the second attempt; doubles per attempt
 * @param claimTimeout    how long a purger owns claimed queue entries before another may take them
 * @param storageTimeout  longest a single storage batch may take before its objects count as failed
 */
public record DeleterSettings(int batchSize, int maxAttempts, Duration initialBackoff, Duration claimTimeout,
                              Duration storageTimeout) {
    /** Default {@link #batchSize}. */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Default {@link #maxAttempts}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default {@link #initialBackoff}. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    /** Default {@link #claimTimeout}. */
    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(5);
    /** Default {@link #storageTimeout}. */
    public static final Duration DEFAULT_STORAGE_TIMEOUT = Duration.ofMinutes(2);

    public DeleterSettings {
        if (batchSize < 1 || batchSize > 1000) {
            throw new InvalidArgumentException("deleter batch size must be 1..1000, got " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new InvalidArgumentException("deleter max attempts must be >= 1, got " + maxAttempts);
        }
        requirePositive("initial backoff", initialBackoff);
        requirePositive("claim timeout", claimTimeout);
        requirePositive("storage timeout", storageTimeout);
    }

    /** The defaults. */
    public static DeleterSettings defaults() {
        return new DeleterSettings(DEFAULT_BATCH_SIZE, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF,
                DEFAULT_CLAIM_TIMEOUT, DEFAULT_STORAGE_TIMEOUT);
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidArgumentException("deleter " + what + " must be a positive duration, got " + d);
        }
    }
}
