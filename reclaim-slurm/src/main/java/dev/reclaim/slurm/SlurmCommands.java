package dev.reclaim.slurm;

import dev.reclaim.jobs.external.ExecutorUnavailableException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Slurm's client commands with a time limit and reads what they print. A command that is
 * missing or does not answer in time is an {@link ExecutorUnavailableException} naming it and how to
 * check; nothing is retried here (the monitor backs off).
 */
final class SlurmCommands {
    /** What a command printed, and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path binDir;
    private final Duration timeout;

    /**
     * @param binDir  where sbatch, squeue, scontrol and scancel are; null to find them on the PATH
     * @param timeout how long one command may take
     */
    SlurmCommands(Path binDir, Duration timeout) {
        this.binDir = binDir;
        this.timeout = timeout;
    }

    Result run(List<String> command) {
        List<String> line = new ArrayList<>(command);
        if (binDir != null) {
            line.set(0, binDir.resolve(command.get(0)).toString());
        }
        Process p;
        try {
            p = new ProcessBuilder(line).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new ExecutorUnavailableException(command.get(0) + " cannot be run (" + e.getMessage() + "); install "
                    + "Slurm's client commands (Debian: slurm-client) or put them on the PATH of the Reclaim process");
        }
        CompletableFuture<byte[]> out = read(p.getInputStream());
        CompletableFuture<byte[]> err = read(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ExecutorUnavailableException(command.get(0) + " did not answer within " + timeout.toSeconds()
                        + " s; check that slurmctld runs and answers ('sinfo')");
            }
            return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ExecutorUnavailableException(command.get(0) + " was interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ExecutorUnavailableException("cannot read what " + command.get(0) + " printed", e.getCause());
        }
    }

    private static CompletableFuture<byte[]> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                in.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * True when a failed command's message says the controller could not be reached (as opposed to
     * refusing the request): the job keeps its state and the monitor tries again later.
     */
    static boolean unreachable(String stderr) {
        String s = stderr.toLowerCase(java.util.Locale.ROOT);
        return s.contains("unable to contact slurm controller") || s.contains("socket timed out")
                || s.contains("connection refused") || s.contains("zero bytes were transmitted")
                || s.contains("communication connection failure") || s.contains("munge");
    }
}
