package dev.reclaim.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The root command: {@code reclaim [--home DIR] COMMAND}. */
@Command(name = "reclaim", mixinStandardHelpOptions = true, version = "reclaim 0.1.0",
        synopsisSubcommandLabel = "COMMAND",
        description = {
                "Tracks compute jobs and the artifacts they leave (models, debug samples, logs, results) "
                        + "and cleans them up safely.",
                "Everything lives in one home folder: reclaim.db (SQLite), artifacts/ and staging/.",
                "A home and an artifact root carry Reclaim's marker; a folder or bucket prefix with other content is "
                        + "refused (see 'reclaim adopt-root')."},
        subcommands = {JobsCommand.class, TasksCommand.class, ModelsCommand.class, ServiceCleanupCommand.class, FsckCommand.class,
                WorkerCommand.class, ServerCommand.class, TokensCommand.class, AdoptRootCommand.class, StoresCommand.class,
                AuditCommand.class, CompletionCommand.class, ImportCommand.class, DuCommand.class, HoldsCommand.class},
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
            description = "Home folder (created if missing; a folder with other files is refused). "
                    + "Default: $RECLAIM_HOME, else ./reclaim-home.")
    Path home;

    @Option(names = "--db", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT,
            description = "Task database shared by every process: jdbc:postgresql://HOST:5432/DB?user=U (or "
                    + "jdbc:sqlite:FILE). Default: $RECLAIM_DB, else storage.db in the home's config, else HOME/reclaim.db.")
    String db;

    @Option(names = "--artifacts", paramLabel = "LOCATION", scope = ScopeType.INHERIT,
            description = "Artifact store: s3://BUCKET/PREFIX or a folder. Default: $RECLAIM_ARTIFACTS, else "
                    + "storage.artifacts in the home's config, else HOME/artifacts. An S3 store is checked at start "
                    + "(bucket exists, deletes permitted).")
    String artifacts;

    @Option(names = "--s3-endpoint", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Endpoint of an S3-compatible server (MinIO, Ceph, S3Proxy), e.g. http://127.0.0.1:9000, for "
                    + "every S3 store of the home (the artifact root and named stores). "
                    + "Default: $RECLAIM_S3_ENDPOINT, else AWS. Credentials come from the AWS default chain "
                    + "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, instance roles).")
    String s3Endpoint;

    @Option(names = "--s3-path-style", paramLabel = "true|false", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true",
            description = "Address buckets as ENDPOINT/BUCKET (most S3-compatible servers need it). "
                    + "Default: $RECLAIM_S3_PATH_STYLE, else false.")
    String s3PathStyle;

    @Option(names = "--s3-region", paramLabel = "REGION", scope = ScopeType.INHERIT,
            description = "S3 region. Default: $RECLAIM_S3_REGION, else the AWS default chain, else us-east-1 with an endpoint.")
    String s3Region;

    @Option(names = "--query-timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
            description = "Stop any database query or write still running after this many seconds (decimals allowed), "
                    + "with an error. Default: $RECLAIM_QUERY_TIMEOUT, else storage.query_timeout in the home's config, else 30.")
    String queryTimeout;

    ReclaimCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The environment this command line runs in. */
    CliEnvironment environment() {
        return environment;
    }

    /** The home folder chosen by --home, RECLAIM_HOME or the default; checked, not yet created. */
    ReclaimHome home() {
        ReclaimHome h = ReclaimHome.resolve(home, environment);
        Map<String, String> flags = new HashMap<>();
        flags.put("db", db);
        flags.put("artifacts", artifacts);
        flags.put("s3_endpoint", s3Endpoint);
        flags.put("s3_path_style", s3PathStyle);
        flags.put("s3_region", s3Region);
        flags.put("query_timeout", queryTimeout);
        return h.withStorage(StorageConfig.resolve(flags, environment, h.dir()));
    }

    @Override
    CommandSpec spec() {
        return spec;
    }
}
