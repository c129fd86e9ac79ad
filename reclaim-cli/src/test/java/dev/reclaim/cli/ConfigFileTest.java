package dev.reclaim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home's {@code reclaim.yaml} is read as YAML (lists, comments, quoting, sections), and a
 * setting it cannot use is refused with the file, the line and the fix, changing nothing.
 */
class ConfigFileTest {
    @TempDir
    Path tmp;
    Cli cli;
    Path yaml;

    @BeforeEach
    void aHome() throws IOException {
        cli = new Cli(tmp.resolve("home"));
        Files.createDirectories(cli.home());
        yaml = cli.home().resolve("reclaim.yaml");
    }

    /** The settings a dry run used, as the run report shows them. */
    private JsonNode settingsFrom(String... yamlLines) throws IOException {
        Files.writeString(yaml, String.join("\n", yamlLines) + "\n");
        Run r = cli.run("cleanup", "--dry-run", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out()).path("settings");
    }

    private Run refused(String... yamlLines) throws IOException {
        Files.writeString(yaml, String.join("\n", yamlLines) + "\n");
        Map<String, String> before = cli.snapshot();
        Run r = cli.run("cleanup", "--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(yaml.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(cli.snapshot()).isEqualTo(before);
        return r;
    }

    @Test
    void theRetentionRulesAsTheDocsWriteThemAreReadAsWritten() throws IOException {
        JsonNode settings = settingsFrom(
                "rules:",
                "  - name: best-checkpoints",
                "    kinds: [model]",
                "    keep_best: {k: 3, metric: val_loss, direction: min}",
                "  - name: debug-samples",
                "    kinds: [debug]",
                "    delete_artifacts_after: 7      # days; applies to live tasks too",
                "  - name: vision-quota",
                "    projects: [vision]",
                "    quota: 500GB");

        JsonNode rules = new ObjectMapper().readTree(settings.path("rules").asText());
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).path("keep_best").path("k").asInt()).isEqualTo(3);
        assertThat(rules.get(1).path("kinds").get(0).asText()).isEqualTo("debug_sample");
        assertThat(rules.get(2).path("quota").asLong()).isEqualTo(500_000_000_000L);
    }

    @Test
    void aBadRuleIsRefusedWithTheFileTheRuleAndTheKey() throws IOException {
        Run r = refused("rules:", "  - name: logs", "    kinds: [log]", "    delete_after: 7");

        assertThat(r.err()).contains("rules[0] (logs): unknown key 'delete_after'").contains("delete_artifacts_after");
    }

    @Test
    void aFlowListOfProjectsIsAListOfProjects() throws IOException {
        assertThat(settingsFrom("projects: [vision, nlp]").path("projects").asText()).isEqualTo("nlp,vision");
    }

    @Test
    void aBlockListOfProjectsIsAListOfProjects() throws IOException {
        assertThat(settingsFrom("projects:", "  - vision", "  - \"nlp\"").path("projects").asText()).isEqualTo("nlp,vision");
    }

    @Test
    void aCommentAfterAValueIsNotPartOfIt() throws IOException {
        JsonNode s = settingsFrom("delete_threshold_days: 7 # a week", "force_delete: true   # drafts and more");
        assertThat(s.path("delete_threshold_days").asText()).isEqualTo("7");
        assertThat(s.path("force_delete").asText()).isEqualTo("true");
    }

    @Test
    void flatKeysTheCleanupPrefixAndTheCleanupSectionAllStillWork() throws IOException {
        JsonNode s = settingsFrom("# retention", "keep_last: 2", "cleanup.age_basis: 'status_changed'",
                "cleanup:", "  delete_threshold_days: 3", "  projects: a, b", "storage:", "  artifacts: artifacts");
        assertThat(s.path("keep_last").asText()).isEqualTo("2");
        assertThat(s.path("age_basis").asText()).isEqualTo("status_changed");
        assertThat(s.path("delete_threshold_days").asText()).isEqualTo("3");
        assertThat(s.path("projects").asText()).isEqualTo("a,b");
    }

    @Test
    void anUnknownSettingNamesTheFileTheLineAndTheClosestKnownSetting() throws IOException {
        Run r = refused("force_delete: false", "delete_treshold_days: 7");
        assertThat(r.err()).contains("line 2").contains("unknown setting 'delete_treshold_days'")
                .contains("did you mean delete_threshold_days");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheLineAndHowToWriteIt() throws IOException {
        Run list = refused("delete_threshold_days: [7]");
        assertThat(list.err()).contains("line 1").contains("delete_threshold_days").contains("delete_threshold_days: 7");
        Run map = refused("keep_last: 1", "force_delete: {yes: 1}");
        assertThat(map.err()).contains("line 2").contains("force_delete").contains("true or false");
        Run number = refused("cleanup:", "  page_size: lots");
        assertThat(number.err()).contains("line 2").contains("page_size must be a whole number");
        Run empty = refused("delete_threshold_days:");
        assertThat(empty.err()).contains("line 1").contains("has no value");
    }

    @Test
    void anUnknownSectionOrStorageKeyIsRefusedByEveryCommand() throws IOException {
        Files.writeString(yaml, "storag:\n  db: jdbc:sqlite:x.db\n");
        Run section = cli.run("tasks", "list");
        assertThat(section.exitCode()).isEqualTo(2);
        assertThat(section.err()).contains(yaml.toString()).contains("line 1").contains("unknown section 'storag'")
                .contains("storage");
        Files.writeString(yaml, "storage:\n  artifacts: a\n  dbb: jdbc:sqlite:x.db\n");
        Run key = cli.run("tasks", "list");
        assertThat(key.exitCode()).isEqualTo(2);
        assertThat(key.err()).contains("line 3").contains("unknown setting 'dbb'").contains("did you mean db");
        assertThat(cli.home().resolve("reclaim.db")).doesNotExist();
    }

    @Test
    void yamlThatDoesNotParseOrRepeatsAKeyNamesTheLine() throws IOException {
        assertThat(refused("keep_last: 1", "projects: [a, b").err()).containsPattern("line [23]\\b").contains("not valid YAML");
        assertThat(refused("keep_last: 1", "keep_last: 2").err()).contains("line 2").contains("keep_last")
                .contains("more than once");
        assertThat(refused("- just", "- a list").err()).contains("line 1").contains("setting: value");
    }
}
