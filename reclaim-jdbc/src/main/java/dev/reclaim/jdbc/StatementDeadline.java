package dev.reclaim.jdbc;

import org.sqlite.ProgressHandler;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Stops a SQLite connection's running statement once its unit of work has run longer than the time
 * limit, or as soon as the store closes. SQLite calls {@link #progress()} every {@link #VM_STEPS}
 * virtual machine instructions of a running statement and interrupts the statement when it answers
 * non-zero. (sqlite-jdbc's {@code Statement.setQueryTimeout} only bounds the wait for another
 * process's lock; it does not stop a statement that is computing.)
 */
final class StatementDeadline extends ProgressHandler {
    /** Instructions between checks: often enough to stop within a fraction of a millisecond, rare enough to cost nothing measurable. */
    static final int VM_STEPS = 10_000;
    private static final long NONE = Long.MIN_VALUE;

    private final BooleanSupplier closing;
    private volatile long deadlineNanos = NONE;
    private volatile boolean expired;
    private volatile boolean running;

    StatementDeadline(BooleanSupplier closing) {
        this.closing = closing;
    }

    /** Starts the clock of a unit of work; null for none (its statements run until done or the store closes). */
    void start(Duration limit) {
        running = true;
        expired = false;
        // elapsed real time of a running statement: not an instant of the domain, so not the injected clock
        deadlineNanos = limit == null ? NONE : System.nanoTime() + limit.toNanos();
    }

    /** Stops the clock, so the rollback or commit that follows is never interrupted by it. */
    void stop() {
        deadlineNanos = NONE;
    }

    /** The unit of work is over (committed or rolled back). */
    void finish() {
        deadlineNanos = NONE;
        running = false;
    }

    /** True while a unit of work runs on the connection. */
    boolean running() {
        return running;
    }

    /** True when the last unit of work was interrupted because it ran out of time. */
    boolean expired() {
        return expired;
    }

    @Override
    protected int progress() {
        return overdue() ? 1 : 0;
    }

    /**
     * True when the running statement must stop now: the store is closing, or the unit of work has
     * run out of time (then {@link #expired()} says so too). Functions that do much work in one call
     * ask this themselves, since SQLite calls {@link #progress()} only between instructions.
     */
    boolean overdue() {
        if (closing.getAsBoolean()) {
            return true;
        }
        long deadline = deadlineNanos;
        if (deadline != NONE && System.nanoTime() - deadline > 0) {
            expired = true;
            return true;
        }
        return false;
    }
}
