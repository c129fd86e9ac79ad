package dev.reclaim.cleanup;

import dev.reclaim.store.CleanupRun;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's lines added up by project and rule, as a preview's groups and a forecast's horizon. */
class CleanupTallyTest {
    private static CleanupRun.Item line(String project, CleanupRun.Outcome outcome, long objects, long bytes) {
        return new CleanupRun.Item("t", "n", project, outcome, "archived 40 days ago", objects, bytes);
    }

    @Test
    void deletedAndPlannedLinesAreGroupedByProjectUnderTheDefaultRuleMostBytesFirst() {
        CleanupTally tally = new CleanupTally();
        tally.taskDone(line("vision", CleanupRun.Outcome.WOULD_DELETE, 2, 100));
        tally.taskDone(line("nlp", CleanupRun.Outcome.DELETED, 1, 500));
        tally.taskDone(line("vision", CleanupRun.Outcome.WOULD_DELETE, 1, 50));
        tally.taskDone(line(null, CleanupRun.Outcome.WOULD_DELETE, 1, 1));
        tally.taskDone(line("vision", CleanupRun.Outcome.SKIPPED, 0, 0));
        tally.taskDone(line("vision", CleanupRun.Outcome.FAILED, 0, 0));

        assertThat(tally.groups()).containsExactly(
                new CleanupTally.Group("nlp", CleanupTally.DEFAULT_RULE, 1, 1, 500),
                new CleanupTally.Group("vision", CleanupTally.DEFAULT_RULE, 2, 3, 150),
                new CleanupTally.Group("", CleanupTally.DEFAULT_RULE, 1, 1, 1));
        assertThat(tally.tasks()).isEqualTo(4);
        assertThat(tally.objects()).isEqualTo(5);
        assertThat(tally.bytes()).isEqualTo(651);
        assertThat(tally.skipped()).isEqualTo(2);
    }

    @Test
    void aHorizonAddsTheGroupsUpByProject() {
        CleanupTally tally = new CleanupTally();
        tally.taskDone(line("vision", CleanupRun.Outcome.WOULD_DELETE, 2, 100));
        tally.taskDone(line("nlp", CleanupRun.Outcome.WOULD_DELETE, 1, 500));

        Forecast.Horizon h = tally.horizon(7);

        assertThat(h.days()).isEqualTo(7);
        assertThat(h.bytes()).isEqualTo(600);
        assertThat(h.projects()).containsExactly(new Forecast.ProjectTotal("nlp", 1, 1, 500),
                new Forecast.ProjectTotal("vision", 1, 2, 100));
    }
}
