package dev.reclaim.server;

import dev.reclaim.store.CleanupRun;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's progress as its listener hooks feed it, read between them as GET /cleanup/progress reads it mid-run. */
class CleanupProgressTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private static CleanupRun.Item item(CleanupRun.Outcome outcome, long objects, long bytes) {
        return new CleanupRun.Item("t", "n", "p", outcome, "r", objects, bytes);
    }

    @Test
    void midRunTheProgressCountsWhatTheRunHasDoneSoFar() {
        CleanupProgress p = CleanupProgress.starting(clock, "ops");
        assertThat(p.view().phase()).isEqualTo(CleanupProgress.Phase.STARTING);
        assertThat(p.view().startedAt()).isEqualTo(clock.instant());

        p.runStarted("run-1");
        p.candidatesSelected(3);
        p.taskDone(item(CleanupRun.Outcome.DELETED, 2, 200));
        p.taskDone(item(CleanupRun.Outcome.SKIPPED, 0, 0));

        CleanupProgress.View mid = p.view();
        assertThat(mid.phase()).isEqualTo(CleanupProgress.Phase.RUNNING);
        assertThat(mid.runId()).isEqualTo("run-1");
        assertThat(mid.startedBy()).isEqualTo("ops");
        assertThat(mid.candidates()).isEqualTo(3);
        assertThat(mid.candidatesComplete()).isFalse();
        assertThat(mid.done()).isEqualTo(2);
        assertThat(mid.deleted()).isEqualTo(1);
        assertThat(mid.skipped()).isEqualTo(1);
        assertThat(mid.objects()).isEqualTo(2);
        assertThat(mid.bytes()).isEqualTo(200);
        assertThat(mid.endedAt()).isNull();

        p.taskDone(item(CleanupRun.Outcome.FAILED, 0, 0));
        p.passEnded();
        assertThat(p.view().phase()).isEqualTo(CleanupProgress.Phase.FINISHING);
        assertThat(p.view().candidatesComplete()).isTrue();
        assertThat(p.view().failed()).isEqualTo(1);
    }

    @Test
    void aFailedRunKeepsWhatItDidAndSaysWhy() {
        CleanupProgress p = CleanupProgress.starting(clock, "ops");
        p.runStarted("run-2");
        p.taskDone(item(CleanupRun.Outcome.DELETED, 1, 10));

        p.failed("storage is gone");

        CleanupProgress.View v = p.view();
        assertThat(v.phase()).isEqualTo(CleanupProgress.Phase.FAILED);
        assertThat(v.error()).isEqualTo("storage is gone");
        assertThat(v.deleted()).isEqualTo(1);
        assertThat(v.endedAt()).isEqualTo(clock.instant());
    }
}
