package dev.reclaim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One output convention: every command that lists or reports takes {@code --output table|json}, and
 * its JSON names fields in snake_case, as the HTTP API does.
 */
class OutputConventionTest {
    /** Every command that lists or reports something, with arguments that make it print a document. */
    private static final List<List<String>> REPORTING = List.of(
            List.of("jobs", "list"),
            List.of("tasks", "list"),
            List.of("tasks", "params", "show", "TASK"),
            List.of("tasks", "show", "TASK"),
            List.of("tasks", "artifacts", "list", "TASK"),
            List.of("cleanup", "--dry-run"),
            List.of("cleanup", "history"),
            List.of("fsck"),
            List.of("audit"),
            List.of("du", "--by", "project,kind,age"),
            List.of("du", "--history", "7"),
            List.of("holds"),
            List.of("import", "SOURCE", "--layout", "mlflow", "--dry-run"),
            List.of("stores", "list"),
            List.of("tokens", "list"));

    @TempDir
    Path tmp;
    Cli cli;
    String task;
    String source;

    @BeforeEach
    void aHomeWithAJobATaskAndARun() {
        cli = new Cli(tmp.resolve("home"));
        cli.submitFinished("echo '{\"loss\": 1}' > $RECLAIM_OUTPUT/result.json");
        Run created = cli.run("tasks", "create", "--name", "t", "--project", "p");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        task = created.firstLine();
        assertThat(cli.run("tasks", "params", "set", task, "lr=0.1").exitCode()).isZero();
        assertThat(cli.run("tokens", "create", "--name", "ci", "--role", "viewer").exitCode()).isZero();
        assertThat(cli.run("cleanup").exitCode()).isZero();
        Path run = tmp.resolve("mlruns/1/0123abcd/artifacts");
        try {
            Files.createDirectories(run);
            Files.writeString(run.resolve("model.bin"), "weights");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        source = tmp.resolve("mlruns").toString();
    }

    @Test
    void every_command_with_an_output_option_offers_table_and_json_and_nothing_else() {
        List<String> withOutput = new ArrayList<>();
        walk(Main.commandLine(Map.of(), tmp).getCommandSpec(), withOutput);

        assertThat(withOutput).containsAll(REPORTING.stream().map(OutputConventionTest::path).toList());
        for (String name : withOutput) {
            assertThat(cli.run(command(name, "--output", "xml")).err()).as(name).contains("table, json");
        }
    }

    @Test
    void every_reporting_command_prints_json_with_snake_case_names_only() throws Exception {
        for (List<String> args : REPORTING) {
            List<String> line = new ArrayList<>(args.stream().map(a -> a.equals("TASK") ? task : a.equals("SOURCE") ? source : a)
                    .toList());
            line.addAll(List.of("--output", "json"));
            Run r = cli.run(line.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isZero();

            JsonNode doc = new ObjectMapper().readTree(r.out());
            if (args.contains("params")) {
                // a task's parameters are the user's own names, printed as given
                assertThat(doc.path("lr").asText()).isEqualTo("0.1");
                continue;
            }
            TreeSet<String> names = new TreeSet<>();
            fieldNames(doc, names, false);
            assertThat(names).as(String.join(" ", args) + " names").isNotEmpty()
                    .allSatisfy(n -> assertThat(n).matches("[a-z][a-z0-9_]*"));
        }
    }

    @Test
    void table_is_the_default_and_text_is_still_read_as_table() {
        Run byDefault = cli.run("cleanup", "history");
        Run asText = cli.run("cleanup", "history", "--output", "text");
        Run asTable = cli.run("cleanup", "history", "--output", "TABLE");

        assertThat(byDefault.out()).startsWith("STARTED");
        assertThat(asText.out()).isEqualTo(byDefault.out());
        assertThat(asTable.out()).isEqualTo(byDefault.out());
    }

    @Test
    void fsck_reports_as_json_what_it_reports_as_a_table() throws Exception {
        Files.writeString(cli.artifacts().resolve("notes.txt"), "someone else's");

        Run r = cli.run("fsck", "--output", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.path("consistent").asBoolean()).isTrue();
        assertThat(doc.path("found").path("unmanaged_count").asLong()).isEqualTo(1);
        assertThat(doc.path("found").path("unmanaged").get(0).asText()).isEqualTo("notes.txt");
        assertThat(doc.path("artifact_root").path("root_id").asText()).isNotEmpty();
    }

    @Test
    void counts_are_grouped_the_same_way_in_every_summary() {
        assertThat(Text.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(cli.run("cleanup").out()).contains("cleanup: 0 candidate(s), 0 deleted");
    }

    private static void walk(CommandSpec spec, List<String> found) {
        OptionSpec output = spec.findOption("--output");
        if (output != null) {
            found.add(spec.qualifiedName(" ").replaceFirst("^reclaim ", ""));
        }
        spec.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct().forEach(s -> walk(s, found));
    }

    private static String path(List<String> args) {
        List<String> words = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--") || a.equals(a.toUpperCase(Locale.ROOT))) {
                break;
            }
            words.add(a);
        }
        return String.join(" ", words);
    }

    private String[] command(String name, String... more) {
        List<String> line = new ArrayList<>(List.of(name.split(" ")));
        if (name.equals("tasks params show") || name.equals("tasks show") || name.equals("tasks artifacts list")) {
            line.add(task);
        }
        if (name.equals("import")) {
            line.addAll(List.of(source, "--layout", "mlflow"));
        }
        line.addAll(List.of(more));
        return line.toArray(String[]::new);
    }

    /** Field names of objects, recursively; a task's parameters and an artifact's metrics are the user's own names, so skipped. */
    private static void fieldNames(JsonNode node, TreeSet<String> out, boolean userKeys) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!userKeys) {
                    out.add(e.getKey());
                }
                fieldNames(e.getValue(), out, userKeys || e.getKey().equals("params") || e.getKey().equals("metrics"));
            }
        } else if (node.isArray()) {
            node.forEach(n -> fieldNames(n, out, userKeys));
        }
    }
}
