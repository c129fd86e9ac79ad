package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.Names;
import dev.reclaim.Reclaim;
import dev.reclaim.model.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code reclaim tasks params set ID KEY=VALUE...}. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Sets parameters of a draft task; the others keep their values.",
                "For the Cleanup Service task every name and value is checked as a setting: a bad one changes nothing "
                        + "and exits 2. A queued or running task cannot be edited: stop it first (reclaim tasks stop ID)."},
        footerHeading = "%nExample:%n",
        footer = "  reclaim tasks params set " + ServiceTask.ID + " delete_threshold_days=7.5 force_delete=true")
final class TaskParamsSetCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "Parameters to set.")
    List<String> assignments;

    private final Map<String, String> values = new LinkedHashMap<>();

    @Override
    void validate() {
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException("'" + a + "' is not KEY=VALUE; write e.g. delete_threshold_days=14");
            }
            // Only spaces around '=' are dropped: trim() would also drop control characters and
            // turn a refused name into another, accepted one.
            values.put(spacesStripped(a.substring(0, eq)), spacesStripped(a.substring(eq + 1)));
        }
        Names.checkParams(values);
    }

    private static String spacesStripped(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Task t = reclaim.tasks().setParams(id, values);
        for (String key : values.keySet()) {
            out().println(key + "=" + t.params().get(key));
        }
        return ExitCodes.OK;
    }
}
