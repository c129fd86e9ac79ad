package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;

/** {@code reclaim audit [--task ID] [--run ID] [--since T] [--who NAME] [--limit N | --all] [--output table|json]}. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists finished deletions from the audit trail, newest first: when, what (a task, some of its "
                + "artifacts, a detached model), who asked (an API token's name, an OS user, cleanup-service, fsck), why, "
                + "the Cleanup Service run that made it, and the objects and bytes freed.",
                "Lines are kept for good. Conditions combine: every one given must hold. Pages are read by position, so "
                        + "--all streams any number of lines with flat memory."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim audit --since 7d                         # the last week",
                "  reclaim audit --task 01J...                      # what happened to one task",
                "  reclaim audit --run 01J... --all --output json   # every task one cleanup run deleted",
                "  reclaim audit --who cleanup-service --limit 20"})
final class AuditCommand extends HomeCommand {
    @Option(names = "--task", paramLabel = "ID", description = "Only lines of this task.")
    String task;
    @Option(names = "--run", paramLabel = "ID", description = "Only deletions this Cleanup Service run made "
            + "(ids in 'reclaim cleanup history').")
    String run;
    @Option(names = "--since", paramLabel = "T", description = "Only lines from T on: ISO-8601 UTC "
            + "(2026-01-01T00:00:00Z), epoch seconds, or a time ago like 7d, 12h, 30m.")
    String since;
    @Option(names = "--who", paramLabel = "NAME", description = "Only deletions NAME asked for: a token's name, an OS "
            + "user, cleanup-service or fsck.")
    String who;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Lines shown, 1.."
            + AuditQuery.MAX_LIMIT + "; the next page starts at the cursor printed after them. Default: ${DEFAULT-VALUE}.")
    int limit;
    @Option(names = "--after", paramLabel = "CURSOR", description = "Continue after the page that printed this cursor.")
    String after;
    @Option(names = "--all", description = "Every line, page after page (no --limit).")
    boolean all;
    @Mixin
    OutputOption output;

    @Override
    void validate() {
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new InvalidArgumentException("--limit must be between 1 and " + AuditQuery.MAX_LIMIT + ", got " + limit
                    + "; use --all to list every line");
        }
        if (after != null) {
            AuditQuery.position(after);
        }
        if (since != null) {
            sinceAgoOrAt(since, Instant.EPOCH);
        }
    }

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Instant from = since == null ? null : sinceAgoOrAt(since, reclaim.clock().instant());
        AuditQuery query = new AuditQuery(task, run, from, who, after, all ? AuditQuery.MAX_LIMIT : limit);
        AuditLines lines = new AuditLines(out(), output.json(), null);
        AuditPage page;
        do {
            page = reclaim.audit().lines(query);
            lines.print(page);
            query = query.after(page.nextCursor());
        } while (all && page.nextCursor() != null);
        lines.end(page.nextCursor());
        if (!output.json()) {
            if (lines.printed() == 0) {
                out().println("no audit lines" + (task != null || run != null || who != null || since != null
                        ? " match these conditions" : " yet: nothing has been deleted"));
            }
            if (page.nextCursor() != null) {
                err().println("more lines: reclaim" + homeOption(home) + " audit ... --after " + page.nextCursor()
                        + " (or --all)");
            }
        }
        return ExitCodes.OK;
    }

    /** A time ago (7d, 12h, 30m, 500ms) before {@code now}, or an instant. */
    static Instant sinceAgoOrAt(String value, Instant now) {
        String v = value.trim();
        if (v.matches("(?i)\\d{1,9}(ms|s|m|h|d)")) {
            Duration ago = Converters.parseDuration(v);
            return now.minus(ago);
        }
        try {
            return TimeCondition.parseInstant("--since", v);
        } catch (InvalidArgumentException | ArithmeticException e) {
            throw new InvalidArgumentException("--since: '" + value + "' is not a time; use ISO-8601 UTC like "
                    + "2026-01-01T00:00:00Z, epoch seconds like 1767225600, or a time ago like 7d, 12h or 30m");
        }
    }
}
