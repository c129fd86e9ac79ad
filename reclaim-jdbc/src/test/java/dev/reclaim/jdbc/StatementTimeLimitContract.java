package dev.reclaim.jdbc;

import dev.reclaim.QueryTimeoutException;
import dev.reclaim.ReclaimException;
import dev.reclaim.StoreBusyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Every statement of a store runs under a time limit, and closing the store stops what still runs.
 * The heavy statement is a recursive CTE that counts to {@link #HEAVY_ROWS}: many seconds of pure
 * computation on either database, with no sleep and no I/O to wait for.
 */
abstract class StatementTimeLimitContract {
    /** Rows the heavy statement counts: 15 to 30 s of work on either database here. */
    static final long HEAVY_ROWS = 20_000_000;
    /** The heavy statement; engines add a marker that tells the test it has started. */
    static final String HEAVY_TAIL = " UNION ALL SELECT i + 1 FROM heavy WHERE i < " + HEAVY_ROWS + ") SELECT count(*) FROM heavy";

    private Connections db;

    /** Connections to a fresh database whose statements stop after {@code limit}. */
    abstract Connections open(Duration limit);

    /** Runs the heavy statement on {@code c} and returns its count. */
    abstract long runHeavy(Connection c) throws SQLException;

    /** Returns once the heavy statement is running. */
    abstract void awaitHeavyRunning();

    /** Returns once the database no longer runs the heavy statement; fails if it still does after a few seconds. */
    abstract void awaitHeavyGoneFromTheDatabase();

    /** How many reads can hold a connection at once; one more has to wait. */
    abstract int concurrentReads();

    @AfterEach
    void closeConnections() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aQueryThatRunsLongerThanTheLimitIsStoppedWithAnErrorThatSaysSo() {
        db = open(Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThatThrownBy(() -> db.read(this::runHeavy))
                .isInstanceOf(QueryTimeoutException.class)
                .hasMessageStartingWith("the query took longer than 1 s and was stopped; narrow the filter");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        awaitHeavyGoneFromTheDatabase();
        long one = db.read(c -> Sql.count(c, "SELECT 1"));
        assertThat(one).as("the connection is usable afterwards").isEqualTo(1);
    }

    @Test
    void aWriteThatRunsLongerThanTheLimitIsStoppedAndSavesNothing() {
        db = open(Duration.ofSeconds(1));
        assertThatThrownBy(() -> db.write(c -> {
            Sql.update(c, "INSERT INTO leases (name, holder, expires_at) VALUES ('l', 'h', 1)");
            return runHeavy(c);
        })).isInstanceOf(QueryTimeoutException.class)
                .hasMessageStartingWith("a database write took longer than 1 s and was stopped, so none of it was saved");
        assertThat(leases()).isZero();
        db.write(c -> Sql.update(c, "INSERT INTO leases (name, holder, expires_at) VALUES ('l', 'h', 1)"));
        assertThat(leases()).as("the writer is usable afterwards").isEqualTo(1);
    }

    private long leases() {
        return db.read(c -> Sql.count(c, "SELECT COUNT(*) FROM leases"));
    }

    @Test
    void closingTheConnectionsStopsAStatementThatIsStillRunning() throws Exception {
        db = open(Duration.ofMinutes(10));
        CompletableFuture<Long> heavy = CompletableFuture.supplyAsync(() -> db.read(this::runHeavy));
        awaitHeavyRunning();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> db.close(), "closing waited for the statement to finish");

        assertThatThrownBy(() -> heavy.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ReclaimException.class).hasMessageContaining("closed");
        awaitHeavyGoneFromTheDatabase();
    }

    /**
     * Every connection held by work that does not finish (a slow client of a slow request): the next
     * request waits for one at most the time limit, then fails with an error saying the store is busy
     * and to try again, instead of queueing without end. 300 ms here; the held work is released after.
     */
    @Test
    void aRequestWaitingForAConnectionGivesUpAtTheTimeLimit() throws Exception {
        db = open(Duration.ofMillis(300));
        int n = concurrentReads();
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Long>> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(CompletableFuture.supplyAsync(() -> db.read(c -> {
                holding.countDown();
                StatementTimeLimitContract.hold(release);
                return 1L;
            }), Executors.newSingleThreadExecutor()));
        }
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).as("every connection is held").isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.read(c -> Sql.count(c, "SELECT 1")))
                    .isInstanceOf(StoreBusyException.class)
                    .hasMessageContaining("busy").hasMessageContaining("try again");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            release.countDown();
        }
        for (CompletableFuture<Long> h : held) {
            h.get(30, TimeUnit.SECONDS);
        }
        long one = db.read(c -> Sql.count(c, "SELECT 1"));
        assertThat(one).as("connections are usable once given back").isEqualTo(1);
    }

    /** Waits for the latch inside a unit of work, holding its connection meanwhile. */
    static void hold(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
