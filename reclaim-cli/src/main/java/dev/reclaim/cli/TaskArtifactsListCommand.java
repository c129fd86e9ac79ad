package dev.reclaim.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.reclaim.Json;
import dev.reclaim.Reclaim;
import dev.reclaim.ReclaimException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Names;
import dev.reclaim.model.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code reclaim tasks artifacts list ID [--kind K] [--output table|json]}. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists a task's live artifacts in id (creation) order, however many: each with its kind, name, "
                + "size, creation time, whether it is published, and its metrics.",
                "They are read and printed a page at a time, so memory stays flat. The table's columns are as wide as "
                        + "the first page needs; a longer value further down widens only its own line."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim tasks artifacts list $id",
                "  reclaim tasks artifacts list $id --kind model --output json"})
final class TaskArtifactsListCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
    String taskId;

    @Option(names = "--kind", paramLabel = "K", description = "Only this kind: model, artifact, debug_sample, log or result.")
    String kind;

    @Mixin
    OutputOption output;

    private ArtifactKind onlyKind;

    @Override
    void validate() {
        onlyKind = kind == null ? null : ArtifactKind.parse(kind);
    }

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Task task = TaskLookup.live(reclaim, taskId);
        PrintWriter o = out();
        Printer printer = output.json() ? new JsonPrinter(o, task.id()) : new TablePrinter(o);
        TaskLookup.forEachPage(reclaim, task.id(), page -> {
            List<Artifact> shown = page.stream().filter(a -> onlyKind == null || a.kind() == onlyKind).toList();
            if (!shown.isEmpty()) {
                printer.page(shown, reclaim.tasks().metricsOf(shown.stream().map(Artifact::id).toList()));
            }
        });
        printer.end();
        return ExitCodes.OK;
    }

    /** Prints pages as they are read. */
    private interface Printer {
        void page(List<Artifact> artifacts, Map<String, Map<String, Double>> metrics);

        void end();
    }

    /** Columns sized by the first page (and the header); a wider value later only widens its own line. */
    private static final class TablePrinter implements Printer {
        private static final String[] HEADER = {"ID", "KIND", "NAME", "SIZE", "CREATED", "PUBLISHED", "METRICS"};
        private final PrintWriter out;
        private int[] width;

        TablePrinter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void page(List<Artifact> artifacts, Map<String, Map<String, Double>> metrics) {
            List<String[]> rows = new ArrayList<>();
            for (Artifact a : artifacts) {
                rows.add(new String[] {a.id(), a.kind().name(), Names.printable(a.name()), Text.bytes(a.sizeBytes()),
                    Text.time(a.createdAt()), a.published() ? "yes" : "no", metricsCell(metrics.get(a.id()))});
            }
            if (width == null) {
                width = new int[HEADER.length];
                for (int i = 0; i < HEADER.length; i++) {
                    width[i] = HEADER[i].length();
                }
                rows.forEach(r -> {
                    for (int i = 0; i < r.length; i++) {
                        width[i] = Math.max(width[i], r[i].length());
                    }
                });
                line(HEADER);
            }
            rows.forEach(this::line);
            out.flush();
        }

        private void line(String[] r) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i < r.length - 1 ? String.format("%-" + width[i] + "s  ", r[i]) : r[i]);
            }
            out.println(b.toString().stripTrailing());
        }

        @Override
        public void end() {
            if (width == null) {
                out.println("no artifacts");
            }
            out.flush();
        }
    }

    /** One JSON document whose {@code artifacts} array is written element by element. */
    private static final class JsonPrinter implements Printer {
        private final PrintWriter out;
        private final JsonGenerator json;

        JsonPrinter(PrintWriter out, String taskId) {
            this.out = out;
            try {
                json = Json.output().getFactory().createGenerator(out).useDefaultPrettyPrinter();
                // the writer is the command line's: ending the document must not close it
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.setCodec(Json.output());
                json.writeStartObject();
                json.writeStringField("task_id", taskId);
                json.writeArrayFieldStart("artifacts");
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void page(List<Artifact> artifacts, Map<String, Map<String, Double>> metrics) {
            try {
                for (Artifact a : artifacts) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", a.id());
                    m.put("kind", a.kind().name());
                    m.put("name", a.name());
                    m.put("size_bytes", a.sizeBytes());
                    m.put("state", a.state().name());
                    m.put("created_at", a.createdAt());
                    m.put("published", a.published());
                    m.put("storage_key", a.storageKey());
                    m.put("sha256", a.sha256());
                    m.put("metrics", metrics.getOrDefault(a.id(), Map.of()));
                    json.writeObject(m);
                }
                json.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void end() {
            try {
                json.writeEndArray();
                json.writeEndObject();
                json.flush();
                out.println();
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private static ReclaimException failed(IOException e) {
            return new ReclaimException("cannot write the artifacts: " + e.getMessage(), e);
        }
    }

    /** {@code epoch=3,val_loss=0.31}; {@code -} without metrics. */
    static String metricsCell(Map<String, Double> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            return "-";
        }
        return metrics.entrySet().stream().map(e -> Names.printable(e.getKey()) + "=" + number(e.getValue()))
                .collect(Collectors.joining(","));
    }

    /** A whole number without a fraction ({@code 3}, not {@code 3.0}); others as Java writes them. */
    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return Double.toString(v);
    }
}
