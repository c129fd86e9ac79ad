package dev.reclaim.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** {@code reclaim worker} on a test's home in a thread of this JVM, stopped the way Ctrl-C stops it. */
final class InProcessWorker implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final StringWriter out = new StringWriter();
    private final WorkerCommand worker;
    private final Future<Integer> exit;

    private InProcessWorker(Cli cli, Path cwd, String... options) {
        CommandLine cl = Main.commandLine(cli.env(), cwd, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        worker = cl.getSubcommands().get("worker").getCommand();
        String[] args = Stream.concat(Stream.of("--home", cli.home().toString(), "worker"), Stream.of(options))
                .toArray(String[]::new);
        exit = thread.submit(() -> cl.execute(args));
    }

    /** Starts a worker with these options and waits until it says it started. */
    static InProcessWorker start(Cli cli, Path cwd, String... options) {
        InProcessWorker w = new InProcessWorker(cli, cwd, options);
        await().atMost(Duration.ofSeconds(30)).until(() -> w.output().contains("started"));
        return w;
    }

    /** What the worker printed so far. */
    String output() {
        return out.toString();
    }

    /** Asks it to stop as Ctrl-C does and returns its exit code. */
    int stop(Duration within) throws Exception {
        worker.requestStop();
        return exit.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            stop(Duration.ofSeconds(60));
        } finally {
            thread.shutdownNow();
        }
    }
}
