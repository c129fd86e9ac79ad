package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.ReclaimException;
import dev.reclaim.RefusedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * How errors reach the user: one line that says what is wrong (and usually how to fix it), the
 * exit code the README lists, and never a stack trace for a user error.
 */
final class ErrorHandlers {
    /** Set to any value to see stack traces of unexpected errors. */
    static final String DEBUG_ENV = "RECLAIM_DEBUG";

    private ErrorHandlers() {
    }

    /** Unknown options, bad values, missing arguments: picocli's message, a hint to --help, exit 2. */
    static final class BadUsage implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            String name = cl.getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage());
            UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return ExitCodes.USAGE;
        }
    }

    /** Errors while a command runs: bad input exits 2, a refusal 3, anything else 1. */
    static final class Failure implements IExecutionExceptionHandler {
        private final boolean debug;

        Failure(Map<String, String> env) {
            this.debug = env.get(DEBUG_ENV) != null && !env.get(DEBUG_ENV).isBlank();
        }

        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            PrintWriter err = cl.getErr();
            String name = cl.getCommandSpec().qualifiedName();
            int code;
            // Messages are described in words (Problems.describe): a Java class name tells a user nothing.
            if (ex instanceof InvalidArgumentException) {
                err.println(name + ": " + ex.getMessage());
                code = ExitCodes.USAGE;
            } else if (ex instanceof RefusedException) {
                err.println(name + ": " + ex.getMessage());
                code = ExitCodes.NEEDS_FORCE;
            } else if (ex instanceof ReclaimException || ex instanceof UncheckedIOException) {
                err.println(name + ": " + Problems.describe(ex));
                code = ExitCodes.FAILED;
            } else {
                err.println(name + ": unexpected error: " + Problems.describe(ex)
                        + (debug ? "" : " (set " + DEBUG_ENV + "=1 to see where it happened)"));
                code = ExitCodes.FAILED;
            }
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        }
    }
}
