package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.Task;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskQueryParams;
import dev.reclaim.tasks.TaskViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code reclaim tasks list ...}: getAll with filters, projection, ordering and paging. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists tasks: filters, projection (--fields), ordering (--order-by, '-' for descending) and paging.",
                "Offset paging (--page) or keyset paging (--cursor, printed after each page): the cursor stays stable "
                        + "while tasks are deleted.",
                "Time conditions: an operator (>, >=, <, <=) then ISO-8601 UTC or epoch seconds; repeat to AND them."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim tasks list --project vision --status completed --system-tag archived",
                "  reclaim tasks list --archived-at '<2026-01-01T00:00:00Z' --fields id,name,archived_at --order-by archived_at",
                "  reclaim tasks list --system-tag -archived --order-by -last_update --page-size 50 --output json"})
final class TaskListCommand extends HomeCommand {
    /** Output formats. */

    @Option(names = "--id", paramLabel = "ID", description = "Only these ids (repeatable).")
    List<String> ids = new ArrayList<>();
    @Option(names = "--name", paramLabel = "REGEX", description = "Name contains a match of this regular expression "
            + "(RE2 syntax: no backreferences or lookaround).")
    String name;
    @Option(names = "--project", paramLabel = "P", description = "Only this project (repeatable).")
    List<String> projects = new ArrayList<>();
    @Option(names = "--status", paramLabel = "S", description = "Only this status (repeatable, case-insensitive).")
    List<String> statuses = new ArrayList<>();
    @Option(names = "--type", paramLabel = "T", description = "Only this type (repeatable).")
    List<String> types = new ArrayList<>();
    @Option(names = "--owner", paramLabel = "O", description = "Only this owner (repeatable).")
    List<String> owners = new ArrayList<>();
    @Option(names = "--parent", paramLabel = "ID", description = "Only children of this task.")
    String parent;
    @Option(names = "--tag", paramLabel = "T", description = "Has this tag; '-T' has not (repeatable; plain tags: any of them).")
    List<String> tags = new ArrayList<>();
    @Option(names = "--system-tag", paramLabel = "T", description = "System tag filter, e.g. archived or -archived (repeatable).")
    List<String> systemTags = new ArrayList<>();
    @Option(names = "--status-changed", paramLabel = "COND", description = "Condition on the last status change, e.g. '<2026-01-01T00:00:00Z'.")
    List<String> statusChanged = new ArrayList<>();
    @Option(names = "--archived-at", paramLabel = "COND", description = "Condition on the archive time, e.g. '>=1767225600'.")
    List<String> archivedAt = new ArrayList<>();
    @Option(names = "--fields", paramLabel = "F,F", split = ",", description = "Only these fields (id is always shown).")
    List<String> fields = new ArrayList<>();
    @Option(names = "--order-by", paramLabel = "F,F", split = ",", description = "Sort keys; '-' prefix for descending (size: bytes of live artifacts). Default: id.")
    List<String> orderBy = new ArrayList<>();
    @Option(names = "--page", paramLabel = "N", description = "Zero-based page number (offset paging).")
    Integer page;
    @Option(names = "--page-size", paramLabel = "N", defaultValue = "100", description = "Rows per page, 1..500. Default: ${DEFAULT-VALUE}.")
    int pageSize;
    @Option(names = "--cursor", paramLabel = "C", description = "Continue after the page that printed this cursor.")
    String cursor;
    @Mixin
    OutputOption output;

    private TaskQuery query;
    private List<TaskField> projection;

    @Override
    void validate() {
        // The same parser serves GET /api/v1/tasks: flags and query parameters mean the same thing.
        Map<String, List<String>> v = new LinkedHashMap<>();
        put(v, TaskQueryParams.ID, ids);
        put(v, TaskQueryParams.NAME, name);
        put(v, TaskQueryParams.PROJECT, projects);
        put(v, TaskQueryParams.STATUS, statuses);
        put(v, TaskQueryParams.TYPE, types);
        put(v, TaskQueryParams.OWNER, owners);
        put(v, TaskQueryParams.PARENT, parent);
        put(v, TaskQueryParams.TAG, tags);
        put(v, TaskQueryParams.SYSTEM_TAG, systemTags);
        put(v, TaskQueryParams.STATUS_CHANGED, statusChanged);
        put(v, TaskQueryParams.ARCHIVED_AT, archivedAt);
        put(v, TaskQueryParams.FIELDS, fields);
        put(v, TaskQueryParams.ORDER_BY, orderBy);
        put(v, TaskQueryParams.PAGE, page);
        put(v, TaskQueryParams.PAGE_SIZE, pageSize);
        put(v, TaskQueryParams.CURSOR, cursor);
        TaskQueryParams.Parsed parsed = TaskQueryParams.parse(v, k -> "--" + k.replace('_', '-'));
        query = parsed.query();
        projection = parsed.fields();
    }

    private static void put(Map<String, List<String>> v, String key, Object value) {
        if (value instanceof List<?> l) {
            if (!l.isEmpty()) {
                v.put(key, l.stream().map(String::valueOf).toList());
            }
        } else if (value != null) {
            v.put(key, List.of(String.valueOf(value)));
        }
    }

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Page<Task> result = reclaim.tasks().getAll(query);
        List<Map<String, Object>> views = result.items().stream().map(t -> TaskViews.view(t, projection)).toList();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("tasks", views);
            doc.put("next_cursor", result.nextCursor());
            OutputOption.printJson(out(), doc);
            return ExitCodes.OK;
        }
        List<TaskField> columns = projection.isEmpty()
                ? List.of(TaskField.ID, TaskField.NAME, TaskField.PROJECT, TaskField.STATUS, TaskField.SYSTEM_TAGS, TaskField.LAST_UPDATE)
                : withId(projection);
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(f -> f.apiName().toUpperCase(Locale.ROOT)).toArray(String[]::new));
        for (Task t : result.items()) {
            rows.add(columns.stream().map(f -> cell(TaskViews.value(t, f))).toArray(String[]::new));
        }
        Table.print(rows, out());
        if (result.nextCursor() != null) {
            err().println("more: --cursor " + result.nextCursor());
        }
        return ExitCodes.OK;
    }

    private static List<TaskField> withId(List<TaskField> fields) {
        List<TaskField> out = new ArrayList<>();
        out.add(TaskField.ID);
        fields.stream().filter(f -> f != TaskField.ID).forEach(out::add);
        return out;
    }

    private static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Collection<?> c) {
            return c.isEmpty() ? "-" : String.join(",", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }
}
