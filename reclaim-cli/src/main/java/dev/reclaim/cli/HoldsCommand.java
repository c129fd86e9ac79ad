package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.holds.Holds;
import dev.reclaim.store.HoldStore.Hold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code reclaim holds [--output table|json]}. */
@Command(name = "holds", mixinStandardHelpOptions = true,
        description = {"Lists every hold, oldest first: tasks ('reclaim tasks hold') and artifacts ('reclaim tasks artifacts "
                + "hold'), with who held each, when and why. Nothing on hold is deleted by a Cleanup Service run, a "
                + "retention rule or a delete without --force."},
        footerHeading = "%nExamples:%n", footer = {"  reclaim holds", "  reclaim holds --output json"})
final class HoldsCommand extends HomeCommand {
    @Mixin
    OutputOption output;

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        // every page: the list has no cap, only what is read at a time has
        List<Hold> all = new ArrayList<>();
        String cursor = null;
        do {
            Holds.Page page = reclaim.holds().list(cursor, Holds.MAX_PAGE);
            all.addAll(page.holds());
            cursor = page.nextCursor();
        } while (cursor != null);
        if (output.json()) {
            OutputOption.printJson(out(), Map.of("holds", all));
            return ExitCodes.OK;
        }
        if (all.isEmpty()) {
            out().println("nothing is on hold");
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HELD", "WHAT", "ID", "TASK", "NAME", "BY", "REASON"});
        for (Hold h : all) {
            rows.add(new String[] {Text.time(h.heldAt()), h.target().name().toLowerCase(Locale.ROOT), h.id(),
                h.taskId() == null ? "-" : h.taskId(), h.name() == null ? "-" : h.name(), h.heldBy() == null ? "-" : h.heldBy(),
                h.reason() == null ? "" : h.reason()});
        }
        Table.print(rows, out());
        return ExitCodes.OK;
    }
}
