package dev.reclaim.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, so no test sleeps. Thread-safe. */
public final class SettableClock extends Clock {
    /** A fixed, recognisable start time for tests. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    /** A clock at {@link #DEFAULT_START}. */
    public SettableClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}. */
    public SettableClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    /** Moves the clock forward (or back, for a negative duration). */
    public SettableClock advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
        return this;
    }

    /** Sets the clock. */
    public SettableClock set(Instant t) {
        now.set(t);
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
