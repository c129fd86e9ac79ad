package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.store.StorageUsage.Dimension;
import dev.reclaim.store.StorageUsage.Group;
import dev.reclaim.store.StorageUsage.TaskSize;
import dev.reclaim.store.StorageUsage.UsageDay;
import dev.reclaim.store.StorageUsage.UsageReport;
import dev.reclaim.usage.UsageReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code reclaim du [--by DIM,DIM] [--top N] [--history DAYS] [--output table|json]}. */
@Command(name = "du", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows where the bytes are: stored objects and bytes of live artifacts, grouped by any of project, "
                + "kind, status, archived, owner and age (since the task was created: <7d, 7-30d, 30-90d, 90d-1y, >1y), "
                + "with the totals and the largest tasks and projects.",
                "The totals are kept by the task store in the same transaction as every change, so this reads a few rows "
                        + "however many tasks there are; 'reclaim fsck' checks them against the records and --repair "
                        + "rebuilds them. Models kept after their task was deleted count under status DETACHED."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim du                                    # totals, top 10 tasks and projects",
                "  reclaim du --by project,kind",
                "  reclaim du --by archived,age --top 0 --output json",
                "  reclaim du --history 30                      # stored bytes at the end of each of the last 30 days"})
final class DuCommand extends HomeCommand {
    @Option(names = "--by", paramLabel = "DIM,DIM", description = "Group by these, in this order: project, kind, status, "
            + "archived, owner, age. Default: project.")
    String by = "project";
    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "The N largest tasks and projects "
            + "(0..1000; 0 lists none). Default: ${DEFAULT-VALUE}.")
    int top;
    @Option(names = "--history", paramLabel = "DAYS", description = "Instead of groups: stored objects and bytes at the end "
            + "of each of the last DAYS UTC days (1..3650), with the bytes added and freed each day. Rebuilt from what is "
            + "stored now, counted from its task's creation day, and the deletions the audit trail recorded since.")
    Integer historyDays;
    @Mixin
    OutputOption output;

    private List<Dimension> dimensions;

    @Override
    void validate() {
        dimensions = UsageReports.dimensions(by);
        if (top < 0 || top > 1000) {
            throw new InvalidArgumentException("--top must be between 0 and 1000, got " + top);
        }
        if (historyDays != null && (historyDays < 1 || historyDays > UsageReports.MAX_HISTORY_DAYS)) {
            throw new InvalidArgumentException("--history must be between 1 and " + UsageReports.MAX_HISTORY_DAYS
                    + " days, got " + historyDays);
        }
    }

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        if (historyDays != null) {
            return history(reclaim.usage().history(historyDays));
        }
        UsageReport r = reclaim.usage().report(dimensions, top);
        if (output.json()) {
            OutputOption.printJson(out(), r);
            return ExitCodes.OK;
        }
        PrintWriter o = out();
        if (!dimensions.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            List<String> header = new ArrayList<>(dimensions.stream().map(d -> d.name().toUpperCase(Locale.ROOT)).toList());
            header.addAll(List.of("OBJECTS", "BYTES"));
            rows.add(header.toArray(String[]::new));
            for (Group g : r.groups()) {
                List<String> row = new ArrayList<>(g.key().stream().map(k -> k.isEmpty() ? "-" : k).toList());
                row.addAll(List.of(Text.count(g.objects()), Text.bytes(g.bytes())));
                rows.add(row.toArray(String[]::new));
            }
            Table.print(rows, o);
        }
        o.printf("total: %s object(s), %s%n", Text.count(r.objects()), Text.bytes(r.bytes()));
        if (!r.topTasks().isEmpty()) {
            o.println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"LARGEST TASKS", "NAME", "PROJECT", "OBJECTS", "BYTES"});
            for (TaskSize t : r.topTasks()) {
                rows.add(new String[] {t.taskId(), t.name(), t.project(), Text.count(t.objects()), Text.bytes(t.bytes())});
            }
            Table.print(rows, o);
        }
        if (!r.topProjects().isEmpty()) {
            o.println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"LARGEST PROJECTS", "OBJECTS", "BYTES"});
            for (Group g : r.topProjects()) {
                rows.add(new String[] {g.key().get(0).isEmpty() ? "-" : g.key().get(0), Text.count(g.objects()),
                    Text.bytes(g.bytes())});
            }
            Table.print(rows, o);
        }
        return ExitCodes.OK;
    }

    private int history(List<UsageDay> days) {
        if (output.json()) {
            OutputOption.printJson(out(), Map.of("days", days));
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DAY (UTC)", "OBJECTS", "BYTES", "ADDED", "FREED"});
        for (UsageDay d : days) {
            rows.add(new String[] {d.day().toString(), Text.count(d.objects()), Text.bytes(d.bytes()),
                Text.bytes(d.addedBytes()), Text.bytes(d.freedBytes())});
        }
        Table.print(rows, out());
        return ExitCodes.OK;
    }
}
