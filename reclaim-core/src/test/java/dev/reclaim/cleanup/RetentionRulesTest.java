package dev.reclaim.cleanup;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.cleanup.RetentionRule.DeleteArtifactsAfter;
import dev.reclaim.cleanup.RetentionRule.Direction;
import dev.reclaim.cleanup.RetentionRule.KeepBest;
import dev.reclaim.cleanup.RetentionRule.Quota;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.TaskStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code rules} setting: what it reads, and a message naming the rule and key for every mistake. */
class RetentionRulesTest {

    private static final String ISSUE_FORM = """
            [{"name": "best-checkpoints", "kinds": ["model"], "keep_best": {"k": 3, "metric": "val_loss", "direction": "min"}},
             {"name": "debug-samples", "kinds": ["debug"], "delete_artifacts_after": 7},
             {"name": "vision-quota", "projects": ["vision"], "quota": "500GB"}]""";

    @Test
    void theFormTheDocsShowReadsAsThreeRules() {
        List<RetentionRule> rules = RetentionRules.parse(ISSUE_FORM);

        assertThat(rules).extracting(RetentionRule::name).containsExactly("best-checkpoints", "debug-samples", "vision-quota");
        assertThat(rules.get(0).action()).isEqualTo(new KeepBest(3, "val_loss", Direction.MIN));
        assertThat(rules.get(0).scope().kinds()).containsExactly(ArtifactKind.MODEL);
        assertThat(rules.get(1).action()).isEqualTo(new DeleteArtifactsAfter(7));
        assertThat(rules.get(1).scope().kinds()).containsExactly(ArtifactKind.DEBUG_SAMPLE);
        assertThat(rules.get(2).action()).isEqualTo(new Quota(500_000_000_000L));
        assertThat(rules.get(2).scope().projects()).containsExactly("vision");
    }

    @Test
    void rulesSurviveTheRoundTripThroughTheirJson() {
        List<RetentionRule> rules = RetentionRules.parse("""
                [{"name": "r", "projects": ["a", "b"], "tags": ["x"], "statuses": ["completed"], "archived": true,
                  "delete_tasks_after": 2.5}, """ + ISSUE_FORM.substring(1));

        assertThat(RetentionRules.parse(RetentionRules.toJson(rules))).isEqualTo(rules);
        assertThat(rules.get(0).scope().statuses()).containsExactly(TaskStatus.COMPLETED);
    }

    @Test
    void sizesTakeDecimalAndBinaryUnits() {
        assertThat(quota("\"1KB\"")).isEqualTo(1000);
        assertThat(quota("\"2 GiB\"")).isEqualTo(2L << 30);
        assertThat(quota("\"1.5TB\"")).isEqualTo(1_500_000_000_000L);
        assertThat(quota("123")).isEqualTo(123);
        assertThat(quota("\"123\"")).isEqualTo(123);
    }

    private static long quota(String v) {
        return ((Quota) RetentionRules.parse("[{\"name\": \"q\", \"quota\": " + v + "}]").get(0).action()).bytes();
    }

    @Test
    void everyMistakeNamesTheRuleTheKeyAndHowToWriteIt() {
        Map<String, String> mistakes = Map.ofEntries(
                Map.entry("[{\"name\": \"x\",]", "not valid JSON"),
                Map.entry("{}", "must be a list of rules"),
                Map.entry("[{\"kinds\": [\"log\"], \"delete_artifacts_after\": 7}]", "rules[0] has no name"),
                Map.entry("[{\"name\": \"a\", \"kindz\": [\"log\"], \"delete_artifacts_after\": 7}]",
                        "rules[0] (a): unknown key 'kindz'"),
                Map.entry("[{\"name\": \"a\", \"kinds\": [\"log\"]}]", "exactly one action"),
                Map.entry("[{\"name\": \"a\", \"quota\": 1, \"delete_tasks_after\": 3}]", "found quota and delete_tasks_after"),
                Map.entry("[{\"name\": \"a\", \"delete_artifacts_after\": 7}]", "needs kinds"),
                Map.entry("[{\"name\": \"a\", \"kinds\": [\"pictures\"], \"delete_artifacts_after\": 7}]",
                        "unknown artifact kind 'pictures'"),
                Map.entry("[{\"name\": \"a\", \"keep_best\": {\"k\": 0}}]", "keep_best.k must be between 1 and 1000"),
                Map.entry("[{\"name\": \"a\", \"keep_best\": {\"k\": 3, \"metric\": \"loss\", \"direction\": \"down\"}}]",
                        "keep_best.direction must be min"),
                Map.entry("[{\"name\": \"a\", \"keep_best\": {\"k\": 3, \"order\": \"min\"}}]", "keep_best: unknown key 'order'"),
                Map.entry("[{\"name\": \"a\", \"quota\": \"lots\"}]", "quota is a size"),
                Map.entry("[{\"name\": \"a\", \"quota\": \"5 GX\"}]", "quota is a size"),
                Map.entry("[{\"name\": \"a\", \"delete_tasks_after\": \"a week\"}]", "a number of days"),
                Map.entry("[{\"name\": \"a\", \"delete_tasks_after\": -1}]", "must be a number of days >= 0"),
                Map.entry("[{\"name\": \"a\", \"archived\": false, \"delete_tasks_after\": 3}]", "archived tasks only"),
                Map.entry("[{\"name\": \"a\", \"statuses\": [\"published\"], \"delete_tasks_after\": 3}]",
                        "published tasks are never deleted"),
                Map.entry("[{\"name\": \"a\", \"statuses\": [\"done\"], \"delete_tasks_after\": 3}]", "unknown status 'done'"),
                Map.entry("[{\"name\": \"a b\", \"delete_tasks_after\": 3}]", "a rule's name must be"),
                Map.entry("[{\"name\": \"a\", \"quota\": 1}, {\"name\": \"a\", \"quota\": 2}]", "'a' is used twice"));

        mistakes.forEach((json, message) -> assertThatThrownBy(() -> RetentionRules.parse(json)).as(json)
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(message));
    }

    @Test
    void theRulesAreASettingLikeTheOthersWithTheSourceInTheirMessages() {
        CleanupSettings s = CleanupSettings.fromMap(Map.of("rules", ISSUE_FORM), "reclaim.yaml");

        assertThat(s.rules()).hasSize(3);
        assertThat(CleanupSettings.fromMap(s.toMap(), "task parameters")).isEqualTo(s);
        assertThat(CleanupSettings.defaults().toMap()).containsEntry("rules", "[]");
        assertThatThrownBy(() -> CleanupSettings.fromMap(Map.of("rules", "[{\"name\": \"a\"}]"), "reclaim.yaml"))
                .hasMessageStartingWith("reclaim.yaml: rules[0] (a): a rule has exactly one action");
        assertThat(Set.copyOf(CleanupSettings.NAMES)).contains("rules");
    }
}
