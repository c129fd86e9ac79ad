package dev.reclaim.cleanup;

import dev.reclaim.store.CleanupRun;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's lines added up by project and rule, as a preview's groups and a forecast's horizon. */
class CleanupTallyTest {
    private static CleanupRun.Item line(String project, CleanupRun.Outcome outcome, long objects, long bytes) {
        return line(project, outcome, "archived 40.0 days ago > 30 days; status CREATED (draft)", objects, bytes);
    }

    private static CleanupRun.Item line(String project, CleanupRun.Outcome outcome, String rule, long objects,
                                        long bytes) {
        return new CleanupRun.Item("t", "n", project, outcome, rule, objects, bytes);
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

    @Test
    void linesOfANamedRuleAreGroupedUnderThatRuleNextToTheDefaultOnes() {
        CleanupTally tally = new CleanupTally();
        tally.taskDone(line("vision", CleanupRun.Outcome.WOULD_DELETE,
                "rule debug-samples: 1 debug_sample created more than 7 days ago", 1, 10));
        tally.taskDone(line("vision", CleanupRun.Outcome.WOULD_DELETE,
                "rule best-checkpoints: 2 model outside the best 3 by lowest val_loss", 2, 300));
        tally.taskDone(line("vision", CleanupRun.Outcome.DELETED,
                "rule debug-samples: 2 debug_sample created more than 7 days ago", 2, 20));
        tally.taskDone(line("vision", CleanupRun.Outcome.WOULD_DELETE, 1, 5));
        // a keep rule's skipped lines name it too, but nothing is deleted by them
        tally.taskDone(line("vision", CleanupRun.Outcome.SKIPPED, "kept by rule best-checkpoints (the best 3)", 0, 0));

        assertThat(tally.groups()).containsExactly(
                new CleanupTally.Group("vision", "best-checkpoints", 1, 2, 300),
                new CleanupTally.Group("vision", "debug-samples", 2, 3, 30),
                new CleanupTally.Group("vision", CleanupTally.DEFAULT_RULE, 1, 1, 5));
        assertThat(tally.skipped()).isEqualTo(1);
    }

    @Test
    void onlyALeadingRulePrefixNamesARule() {
        assertThat(CleanupTally.ruleOf("rule vision-quota: project vision over its quota of 5 bytes"))
                .isEqualTo("vision-quota");
        // the seed's text, text that merely mentions a rule, and no text at all are the default rule's
        assertThat(CleanupTally.ruleOf("archived 40.0 days ago > 30 days; status CREATED (draft)"))
                .isEqualTo(CleanupTally.DEFAULT_RULE);
        assertThat(CleanupTally.ruleOf("kept by rule best-checkpoints (the best 3)")).isEqualTo(CleanupTally.DEFAULT_RULE);
        assertThat(CleanupTally.ruleOf("rule without a colon")).isEqualTo(CleanupTally.DEFAULT_RULE);
        assertThat(CleanupTally.ruleOf(null)).isEqualTo(CleanupTally.DEFAULT_RULE);
    }
}
