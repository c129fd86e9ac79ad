package dev.reclaim.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** The root command: {@code reclaim [--home DIR] COMMAND}. */
@Command(name = "reclaim", mixinStandardHelpOptions = true, version = "reclaim 0.1.0",
        synopsisSubcommandLabel = "COMMAND",
        description = {
                "Tracks compute jobs and the artifacts they leave (models, debug samples, logs, results) "
                        + "and cleans them up safely.",
                "Everything lives in one home folder: reclaim.db (SQLite), artifacts/ and staging/."},
        subcommands = {JobsCommand.class, TasksCommand.class, ServiceCleanupCommand.class, FsckCommand.class, WorkerCommand.class,
                ServerCommand.class, TokensCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  reclaim jobs submit -- sh -c 'echo 42 > $RECLAIM_OUTPUT/result.json'",
                "  reclaim --home /data/reclaim worker --slots 4",
                "  reclaim server --port 8080 --cleanup-service",
                "",
                "Exit codes: 0 ok, 1 failed, 2 bad usage or input, 3 refused (needs --force)."})
final class ReclaimCommand extends GroupCommand {
    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Home folder (created if missing). Default: $RECLAIM_HOME, else ./reclaim-home.")
    Path home;

    ReclaimCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The environment this command line runs in. */
    CliEnvironment environment() {
        return environment;
    }

    /** The home folder chosen by --home, RECLAIM_HOME or the default; checked, not yet created. */
    ReclaimHome home() {
        return ReclaimHome.resolve(home, environment);
    }

    @Override
    CommandSpec spec() {
        return spec;
    }
}
