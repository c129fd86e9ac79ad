package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tasks.NewTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code reclaim tasks create --name N [--project P] [--status S] [--tag T]...}. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Creates a task (a draft unless --status says otherwise) and prints its id.",
        footerHeading = "%nExample:%n", footer = "  reclaim tasks create --name exp-1 --project vision --status completed")
final class TaskCreateCommand extends HomeCommand {
    @Option(names = "--name", required = true, paramLabel = "N", description = "Task name.")
    String name;

    @Option(names = "--project", paramLabel = "P", description = "Project. Default: default.")
    String project;

    @Option(names = "--type", paramLabel = "T", description = "Task type. Default: training.")
    String type;

    @Option(names = "--status", paramLabel = "S", description = "Initial status: created (default), completed, failed, canceled, published.")
    String status;

    @Option(names = "--tag", paramLabel = "T", description = "A user tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--parent", paramLabel = "ID", description = "Parent task id.")
    String parent;

    private NewTask spec;

    @Override
    void validate() {
        TaskStatus s = status == null ? null : TaskStatus.parse(status);
        spec = new NewTask(name, project, type, s == TaskStatus.PUBLISHED ? TaskStatus.COMPLETED : s, Set.copyOf(tags), parent,
                Map.of());
        published = s == TaskStatus.PUBLISHED;
    }

    private boolean published;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        String id = reclaim.tasks().create(spec).id();
        if (published) {
            reclaim.tasks().publish(id);
        }
        out().println(id);
        return ExitCodes.OK;
    }
}
