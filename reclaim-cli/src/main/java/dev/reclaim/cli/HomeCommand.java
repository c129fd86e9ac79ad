package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.StoreException;
import dev.reclaim.worker.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A command that works on the home's stores. Input is checked first ({@link #validate}), so bad
 * input changes nothing; then the stores are opened for the command's duration only. On a home
 * this process cannot write, a command that only reads ({@link #readsOnly}) opens the stores
 * read-only, and any other command fails at once saying so (exit 1).
 */
abstract class HomeCommand implements Callable<Integer> {
    /** The commands that work on a home the user can read but not write. */
    static final String READ_ONLY_COMMANDS = "tasks list, tasks params show, jobs list, jobs status, jobs output, "
            + "cleanup history, fsck (without --repair) and tokens list";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        ReclaimHome home = root().home();
        String readOnly = home.readOnlyReason();
        if (readOnly != null && !readsOnly()) {
            closed();
            throw new StoreException("the home " + home.dir() + " is read-only for this user (" + readOnly + "); '"
                    + spec.qualifiedName() + "' changes it, so run it as a user who can write there or choose another "
                    + "--home. Commands that only read work on a read-only home: " + READ_ONLY_COMMANDS);
        }
        try {
            Reclaim reclaim = readOnly != null ? home.openForReading(workerSettings(), meterRegistry())
                    : home.open(workerSettings(), meterRegistry());
            AtomicBoolean open = new AtomicBoolean(true);
            Runnable close = () -> {
                if (open.compareAndSet(true, false)) {
                    reclaim.close();
                }
            };
            Thread hook = runsJobs() ? new Thread(close, "reclaim-shutdown") : null;
            if (hook != null) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            try {
                return run(reclaim, home);
            } finally {
                if (hook != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // the JVM is shutting down and the hook closes the instance
                    }
                }
                close.run();
            }
        } finally {
            closed();
        }
    }

    /**
     * True when this command may run jobs in this process; then Ctrl-C or SIGTERM closes the
     * instance, which stops those jobs' processes and puts them back on their queue.
     */
    boolean runsJobs() {
        return false;
    }

    /**
     * True for a command that only reads: it works on a home this process cannot write. Such a
     * command must not write, or its write fails there.
     */
    boolean readsOnly() {
        return false;
    }

    /** Called when the stores are closed (or could not be opened). */
    void closed() {
    }

    /** Checks the input before anything is opened or created; throws on bad input. */
    void validate() {
    }

    /** Worker timings of the instance opened for this command. */
    WorkerSettings workerSettings() {
        return ReclaimHome.DEFAULT_WORKERS;
    }

    /** Registry for the instance's meters; null for a private in-memory one. */
    MeterRegistry meterRegistry() {
        return null;
    }

    /** Runs the command; returns its exit code. */
    abstract int run(Reclaim reclaim, ReclaimHome home);

    final ReclaimCommand root() {
        return (ReclaimCommand) spec.root().userObject();
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error; what was printed to standard output is flushed first, so the two stay in order. */
    final PrintWriter err() {
        out().flush();
        return spec.commandLine().getErr();
    }

    /** How the user names the home in a command we suggest ("" for the default home). */
    static String homeOption(ReclaimHome home) {
        return home.isExplicit() ? " --home " + Text.shellQuote(home.dir().toString()) : "";
    }
}
