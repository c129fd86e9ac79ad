package dev.reclaim.worker;

import dev.reclaim.jobs.CommandJob;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs a command job as a child process, its stdout and stderr merged into the console. */
final class CommandRunner {
    /** Environment variable holding the job id. */
    static final String ENV_JOB_ID = "RECLAIM_JOB_ID";
    /** Environment variable holding the job's output folder. */
    static final String ENV_OUTPUT = "RECLAIM_OUTPUT";

    private CommandRunner() {
    }

    static JobOutcome run(String jobId, CommandJob job, Path outputDir, ConsoleSink console, RunningJob running)
            throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(job.command()).redirectErrorStream(true);
        if (job.workingDir() != null) {
            pb.directory(Path.of(job.workingDir()).toFile());
        }
        pb.environment().putAll(job.env());
        pb.environment().put(ENV_JOB_ID, jobId);
        pb.environment().put(ENV_OUTPUT, outputDir.toAbsolutePath().toString());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            String why = "cannot start '" + job.command().get(0) + "': " + e.getMessage();
            console.append(why + "\n");
            return JobOutcome.failed(null, why);
        }
        running.attach(process);
        closeQuietly(process);
        pump(process.getInputStream(), console);
        int exit = process.waitFor();
        if (running.isCanceled()) {
            return JobOutcome.failed(exit, "canceled");
        }
        return JobOutcome.exited(exit);
    }

    /** The job gets no standard input: close it so a process reading stdin sees end-of-file. */
    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    private static void pump(InputStream in, ConsoleSink console) {
        char[] buf = new char[8192];
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
                if (n > 0) {
                    console.append(new String(buf, 0, n));
                }
            }
        } catch (IOException e) {
            // The process was killed or closed its output: what was read is kept.
            console.append("[reclaim] console stream ended: " + e.getMessage() + "\n");
        }
    }
}
