package dev.reclaim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;
import dev.reclaim.Reclaim;
import dev.reclaim.ReclaimException;
import dev.reclaim.store.CleanupRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code reclaim cleanup history [--limit N] [--output table|json]}. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Lists past Cleanup Service runs, newest first: when, how long, what was deleted and freed.",
        footerHeading = "%nExample:%n", footer = "  reclaim cleanup history --limit 5 --output json")
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
        rows.add(new String[] {"STARTED", "DURATION", "MODE", "CANDIDATES", "DELETED", "SKIPPED", "FAILED", "FREED"});
        for (CleanupRun r : runs) {
            rows.add(new String[] {Text.time(r.startedAt()), Text.elapsed(r.duration()), r.dryRun() ? "dry-run" : "run",
                    String.valueOf(r.candidates()), String.valueOf(r.deleted()), String.valueOf(r.skipped()),
                    String.valueOf(r.failed()), Text.bytes(r.bytes())});
        }
        Table.print(rows, out());
        return ExitCodes.OK;
    }
}
