package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.model.Ids;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditQuery;
import dev.reclaim.store.CleanupRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;

/** {@code reclaim cleanup history [--limit N] [--output table|json]}. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Lists past Cleanup Service runs, newest first: id, when, how long, what started it and who, what "
                + "was deleted and freed.", "'history show RUN' lists every task a run deleted."},
        subcommands = CleanupHistoryCommand.ShowRun.class,
        footerHeading = "%nExamples:%n", footer = {"  reclaim cleanup history --limit 5 --output json",
        "  reclaim cleanup history show 01J...            # one run: its settings and every task it deleted"})
final class CleanupHistoryCommand extends HomeCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Most runs shown, 1..1000. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin
    OutputOption output;

    @Override
    void validate() {
        if (limit < 1 || limit > 1000) {
            throw new InvalidArgumentException("--limit must be between 1 and 1000, got " + limit);
        }
    }

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        List<CleanupRun> runs = reclaim.cleanup().history(limit);
        if (output.json()) {
            OutputOption.printJson(out(), runs);
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STARTED", "ID", "DURATION", "MODE", "TRIGGER", "BY", "CANDIDATES", "DELETED", "SKIPPED",
            "FAILED", "FREED"});
        for (CleanupRun r : runs) {
            rows.add(new String[] {Text.time(r.startedAt()), r.id(), Text.elapsed(r.duration()), r.dryRun() ? "dry-run" : "run",
                    orDash(r.trigger()), orDash(r.startedBy()), Text.count(r.candidates()), Text.count(r.deleted()),
                    Text.count(r.skipped()), Text.count(r.failed()), Text.bytes(r.bytes())});
        }
        Table.print(rows, out());
        return ExitCodes.OK;
    }

    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** {@code reclaim cleanup history show RUN [--output table|json]}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Shows one Cleanup Service run: when, what started it and who, the settings it ran with, its "
                    + "totals, then every task it deleted (read from the audit trail page by page, however many), and "
                    + "the tasks it skipped or failed on.",
                    "A dry run deleted nothing: its report's lines (the first " + CleanupRun.MAX_ITEMS_KEPT + ") say what "
                            + "it would have deleted."},
            footerHeading = "%nExample:%n", footer = "  reclaim cleanup history show 01J... --output json")
    static final class ShowRun extends HomeCommand {
        @Parameters(index = "0", paramLabel = "RUN", description = "Run id, as 'reclaim cleanup history' lists it.")
        String runId;

        @Mixin
        OutputOption output;

        @Override
        void validate() {
            if (!Ids.looksValid(runId)) {
                throw new InvalidArgumentException("'" + runId + "' is not a run id; 'reclaim cleanup history' lists them");
            }
        }

        @Override
        boolean readsOnly() {
            return true;
        }

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            CleanupRun r = reclaim.audit().run(runId).orElseThrow(() -> new InvalidArgumentException("there is no cleanup "
                    + "run '" + runId + "'; 'reclaim cleanup history' lists the runs with their ids"));
            List<CleanupRun.Item> notDeleted = r.items().stream()
                    .filter(i -> r.dryRun() || i.outcome() != CleanupRun.Outcome.DELETED).toList();
            AuditLines lines = new AuditLines(out(), output.json(), json -> {
                json.writeObjectField("run", summary(r));
                json.writeObjectField(r.dryRun() ? "would_delete_or_skip" : "skipped_or_failed", notDeleted);
            });
            if (!output.json()) {
                PrintWriter o = out();
                o.printf("run %s (%s): %s, started %s by %s (%s), took %s%n", r.id(), r.dryRun() ? "dry run" : "run",
                        r.stoppedEarly() ? "stopped early" : r.lostLease() ? "lost its lease" : "completed",
                        Text.time(r.startedAt()), orDash(r.startedBy()), orDash(r.trigger()), Text.elapsed(r.duration()));
                o.printf("settings: %s%n", new TreeMap<>(r.settings()));
                o.printf("%s candidate(s), %s %s, %s skipped, %s failed; %s object(s), %s %s%n", Text.count(r.candidates()),
                        Text.count(r.deleted()), r.dryRun() ? "would be deleted" : "deleted", Text.count(r.skipped()),
                        Text.count(r.failed()), Text.count(r.objects()), Text.bytes(r.bytes()),
                        r.dryRun() ? "would be freed" : "freed");
                for (CleanupRun.Item i : notDeleted) {
                    o.printf("%s %s (%s, project %s): %s%n", label(i.outcome()), i.taskId(), i.name(), i.project(), i.rule());
                }
                if (r.itemsTruncated() && r.dryRun()) {
                    o.printf("(the first %d lines; a dry run keeps no more)%n", CleanupRun.MAX_ITEMS_KEPT);
                }
                if (!r.dryRun()) {
                    o.println();
                    o.println("deleted:");
                }
            }
            if (!r.dryRun()) {
                String cursor = null;
                do {
                    AuditPage page = reclaim.audit().deletedBy(r.id(), cursor, AuditQuery.MAX_LIMIT);
                    lines.print(page);
                    cursor = page.nextCursor();
                } while (cursor != null);
            }
            lines.end(null);
            return ExitCodes.OK;
        }

        private static String label(CleanupRun.Outcome o) {
            return switch (o) {
                case WOULD_DELETE -> "would delete";
                case SKIPPED -> "skipped";
                case FAILED -> "failed";
                case DELETED -> "deleted";
            };
        }

        /** The run without its lines, which the document lists apart. */
        private static Map<String, Object> summary(CleanupRun r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("started_at", r.startedAt());
            m.put("ended_at", r.endedAt());
            m.put("dry_run", r.dryRun());
            m.put("trigger", r.trigger());
            m.put("started_by", r.startedBy());
            m.put("service_task_id", r.serviceTaskId());
            m.put("settings", new TreeMap<>(r.settings()));
            m.put("candidates", r.candidates());
            m.put("deleted", r.deleted());
            m.put("skipped", r.skipped());
            m.put("failed", r.failed());
            m.put("objects", r.objects());
            m.put("bytes", r.bytes());
            m.put("stopped_early", r.stoppedEarly());
            m.put("lease_lost", r.leaseLost());
            return m;
        }
    }
}
