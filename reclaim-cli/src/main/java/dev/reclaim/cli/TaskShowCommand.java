package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Names;
import dev.reclaim.model.Task;
import dev.reclaim.query.TaskField;
import dev.reclaim.tasks.TaskViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code reclaim tasks show ID [--output table|json]}: one task's fields, its size and its artifacts by kind. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Shows one task: every field 'reclaim tasks list' knows, its size (objects and bytes of its "
                + "live artifacts) and its artifacts by kind.",
                "An id no task has is bad input (exit 2); 'reclaim tasks list' lists the ids."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim tasks show $id",
                "  reclaim tasks show $id --output json"})
final class TaskShowCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
    String id;

    @Mixin
    OutputOption output;

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Task task = TaskLookup.live(reclaim, id);
        Map<ArtifactKind, long[]> byKind = new EnumMap<>(ArtifactKind.class);
        TaskLookup.forEachPage(reclaim, task.id(), page -> {
            for (Artifact a : page) {
                long[] c = byKind.computeIfAbsent(a.kind(), k -> new long[2]);
                c[0]++;
                c[1] += a.sizeBytes();
            }
        });
        long objects = byKind.values().stream().mapToLong(c -> c[0]).sum();
        long bytes = byKind.values().stream().mapToLong(c -> c[1]).sum();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>(TaskViews.view(task, List.of()));
            doc.put("size", Map.of("objects", objects, "bytes", bytes));
            List<Map<String, Object>> kinds = new ArrayList<>();
            byKind.forEach((k, c) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kind", k.name());
                m.put("count", c[0]);
                m.put("bytes", c[1]);
                kinds.add(m);
            });
            doc.put("artifacts_by_kind", kinds);
            OutputOption.printJson(out(), doc);
            return ExitCodes.OK;
        }
        PrintWriter o = out();
        List<String[]> rows = new ArrayList<>();
        for (TaskField f : TaskField.values()) {
            if (f != TaskField.PARAMS) {
                rows.add(new String[] {f.apiName() + ":", cell(TaskViews.value(task, f))});
            }
        }
        rows.add(new String[] {"size:", Text.count(objects) + " object(s), " + Text.bytes(bytes)});
        Table.print(rows, o);
        if (!task.params().isEmpty()) {
            o.println("params:");
            task.params().forEach((k, v) -> o.println("  " + k + "=" + Names.printable(v)));
        }
        if (!byKind.isEmpty()) {
            o.println();
            List<String[]> kinds = new ArrayList<>();
            kinds.add(new String[] {"KIND", "COUNT", "BYTES"});
            byKind.forEach((k, c) -> kinds.add(new String[] {k.name(), Text.count(c[0]), Text.bytes(c[1])}));
            Table.print(kinds, o);
        }
        return ExitCodes.OK;
    }

    private static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Collection<?> c) {
            return c.isEmpty() ? "-" : Names.printable(String.join(",", c.stream().map(String::valueOf).toList()));
        }
        // one line each, whatever a job's error says: the table's lines cannot be forged
        return Names.printable(String.valueOf(v));
    }
}
