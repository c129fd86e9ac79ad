package dev.reclaim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim tasks show} and {@code reclaim tasks artifacts list}: one task, its size and its artifacts. */
class TaskShowCommandTest {
    @TempDir
    Path tmp;
    Cli cli;
    String task;

    @BeforeEach
    void aTaskWithTwoModelsAndALog() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        task = cli.run("tasks", "create", "--name", "exp-1", "--project", "vision", "--tag", "baseline").firstLine();
        assertThat(cli.run("tasks", "params", "set", task, "lr=0.1").exitCode()).isZero();
        add("model", "epoch-1.ckpt", 100, "--metric", "val_loss=0.31", "--metric", "epoch=1");
        add("model", "epoch-2.ckpt", 200);
        add("log", "train.log", 10);
    }

    private void add(String kind, String name, int bytes, String... more) throws Exception {
        Path f = Files.write(tmp.resolve(name), new byte[bytes]);
        String[] args = new String[9 + more.length];
        String[] base = {"tasks", "artifacts", "add", task, "--kind", kind, "--name", name, f.toString()};
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        Run r = cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void show_prints_every_field_the_size_and_the_artifacts_by_kind() throws Exception {
        Run table = cli.run("tasks", "show", task);
        Run json = cli.run("tasks", "show", task, "--output", "json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("id:").contains(task).contains("name:").contains("exp-1")
                .contains("project:").contains("vision").contains("tags:").contains("baseline")
                .contains("system_tags:").contains("exit_code:").contains("input_models:")
                .contains("size:").contains("3 object(s), 310 B")
                .contains("params:\n  lr=0.1").contains("KIND").contains("MODEL").contains("LOG");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.path("id").asText()).isEqualTo(task);
        assertThat(doc.path("project").asText()).isEqualTo("vision");
        assertThat(doc.path("tags").get(0).asText()).isEqualTo("baseline");
        assertThat(doc.path("params").path("lr").asText()).isEqualTo("0.1");
        assertThat(doc.path("size").path("objects").asLong()).isEqualTo(3);
        assertThat(doc.path("size").path("bytes").asLong()).isEqualTo(310);
        assertThat(doc.path("artifacts_by_kind").get(0).path("kind").asText()).isEqualTo("MODEL");
        assertThat(doc.path("artifacts_by_kind").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(doc.path("artifacts_by_kind").get(0).path("bytes").asLong()).isEqualTo(300);
        assertThat(doc.path("artifacts_by_kind").get(1).path("kind").asText()).isEqualTo("LOG");
    }

    @Test
    void an_unknown_task_id_is_bad_input_that_says_where_the_ids_are() {
        for (String[] args : new String[][] {{"tasks", "show", "nosuchtask"},
                {"tasks", "artifacts", "list", "nosuchtask"}}) {
            Run r = cli.run(args);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains("no task with id 'nosuchtask'").contains("reclaim tasks list");
        }
    }

    @Test
    void artifacts_list_shows_each_artifact_with_its_metrics_and_filters_by_kind() throws Exception {
        Run table = cli.run("tasks", "artifacts", "list", task);
        Run logs = cli.run("tasks", "artifacts", "list", task, "--kind", "log");
        JsonNode json = new ObjectMapper().readTree(cli.run("tasks", "artifacts", "list", task, "--output", "json").out());

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out().lines().findFirst().orElse(""))
                .matches("ID +KIND +NAME +SIZE +CREATED +PUBLISHED +METRICS");
        assertThat(table.out()).contains("epoch-1.ckpt").contains("epoch=1,val_loss=0.31").contains("train.log");
        assertThat(table.out().lines()).hasSize(4);
        assertThat(logs.out().lines()).hasSize(2).last().asString().contains("train.log");
        assertThat(json.path("task_id").asText()).isEqualTo(task);
        JsonNode first = json.path("artifacts").get(0);
        assertThat(first.path("name").asText()).isEqualTo("epoch-1.ckpt");
        assertThat(first.path("size_bytes").asLong()).isEqualTo(100);
        assertThat(first.path("published").asBoolean()).isFalse();
        assertThat(first.path("metrics").path("val_loss").asDouble()).isEqualTo(0.31);
        assertThat(json.path("artifacts")).hasSize(3);
    }

    @Test
    void artifacts_list_refuses_an_unknown_kind() {
        Run r = cli.run("tasks", "artifacts", "list", task, "--kind", "weights");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("weights");
    }

    @Test
    void artifacts_list_reads_page_after_page_and_shows_what_a_job_reported_in_side_files() throws Exception {
        String job = cli.submitFinished("mkdir -p $RECLAIM_OUTPUT/artifacts $RECLAIM_OUTPUT/models;"
                + " for i in $(seq 1 " + (TaskLookup.PAGE + 1) + "); do echo $i > $RECLAIM_OUTPUT/artifacts/f$i; done;"
                + " echo w > $RECLAIM_OUTPUT/models/best.pt; echo '{\"val_loss\": 0.25}' > $RECLAIM_OUTPUT/models/best.pt.metrics.json");

        JsonNode all = new ObjectMapper().readTree(cli.run("tasks", "artifacts", "list", job, "--output", "json").out());
        Run models = cli.run("tasks", "artifacts", "list", job, "--kind", "model");
        JsonNode shown = new ObjectMapper().readTree(cli.run("tasks", "show", job, "--output", "json").out());

        // the files, the model and the console log; the side file is the model's metrics, not an artifact
        assertThat(all.path("artifacts")).hasSize(TaskLookup.PAGE + 3);
        assertThat(models.out()).contains("best.pt").contains("val_loss=0.25").doesNotContain("metrics.json");
        assertThat(shown.path("size").path("objects").asLong()).isEqualTo(TaskLookup.PAGE + 3);
    }
}
