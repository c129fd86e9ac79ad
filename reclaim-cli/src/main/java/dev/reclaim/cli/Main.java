package dev.reclaim.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point of the {@code reclaim} command line: {@code java -jar reclaim.jar [--home DIR] COMMAND ...}
 * (the {@code ./reclaim} launcher at the repository root runs it). Exits with the command's exit
 * code: 0 ok, 1 failure, 2 bad usage or input, 3 refused because it needs {@code --force}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine(System.getenv(), Path.of("").toAbsolutePath());
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(code);
    }

    /**
     * The configured command line, for this process or a test.
     *
     * @param env the environment (RECLAIM_HOME, PATH)
     * @param cwd the directory relative paths are resolved against
     */
    static CommandLine commandLine(Map<String, String> env, Path cwd) {
        CommandLine cl = new CommandLine(new ReclaimCommand(new CliEnvironment(env, cwd)));
        cl.setParameterExceptionHandler(new ErrorHandlers.BadUsage());
        cl.setExecutionExceptionHandler(new ErrorHandlers.Failure(env));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(Integer.class, new Converters.WholeNumberConverter());
        cl.registerConverter(int.class, new Converters.WholeNumberConverter());
        // Everything after the program name belongs to the job: jobs submit sh -c '...' works without '--'.
        cl.getSubcommands().get("jobs").getSubcommands().get("submit").setStopAtPositional(true);
        return cl;
    }

    /** The command line writing to the given streams (tests capture them). */
    static CommandLine commandLine(Map<String, String> env, Path cwd, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(env, cwd);
        cl.setOut(out);
        cl.setErr(err);
        return cl;
    }
}
