package dev.reclaim.worker;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;
import dev.reclaim.Problems;
import dev.reclaim.model.Names;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.jobs.JobContext;
import dev.reclaim.jobs.JobFunction;
import dev.reclaim.store.StorageKeys;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a Java function job in the worker's thread; its return value becomes result.json. */
final class FunctionRunner {
    private FunctionRunner() {
    }

    static JobOutcome run(String jobId, JobFunction<?> function, Path outputDir, ConsoleSink console, RunningJob running) {
        running.attach(Thread.currentThread());
        Context context = new Context(jobId, outputDir, console, running);
        try {
            Object result = function.run(context);
            Files.write(outputDir.resolve(OutputCollector.RESULT_FILE), Json.mapper().writeValueAsBytes(result));
            return JobOutcome.completed(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JobOutcome.failed(null, "canceled");
        } catch (Exception e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            console.append(trace.toString());
            return JobOutcome.failed(null, Problems.describe(e));
        } finally {
            context.end();
            running.detachThread();
            Thread.interrupted();
        }
    }

    /** Makes the output folder's subfolders the first time the job asks for the folder. */
    private static final class Context implements JobContext {
        private final String jobId;
        private final Path outputDir;
        private final ConsoleSink console;
        private final RunningJob running;
        private boolean subfolders;
        private boolean ended;

        Context(String jobId, Path outputDir, ConsoleSink console, RunningJob running) {
            this.jobId = jobId;
            this.outputDir = outputDir;
            this.console = console;
            this.running = running;
        }

        @Override
        public String jobId() {
            return jobId;
        }

        /** The job's code returned: a thread it left behind must not make folders its cleanup will not see. */
        synchronized void end() {
            ended = true;
        }

        @Override
        public synchronized Path outputDir() {
            if (!subfolders && !ended) {
                JobExecution.createSubfolders(outputDir);
                subfolders = true;
            }
            return outputDir;
        }

        @Override
        public void log(String line) {
            console.append(line + "\n");
        }

        @Override
        public Path writeArtifact(ArtifactKind kind, String name, byte[] content) {
            if (kind == ArtifactKind.RESULT || kind == ArtifactKind.LOG) {
                throw new InvalidArgumentException("write " + kind + " through the function's return value or log(), not writeArtifact");
            }
            Names.ARTIFACT_NAME.check(name);
            StorageKeys.validate(name);
            String folder = switch (kind) {
                case MODEL -> "models";
                case DEBUG_SAMPLE -> "debug";
                default -> "artifacts";
            };
            Path file = outputDir.resolve(folder).resolve(name);
            synchronized (this) {
                if (ended) {
                    throw new IllegalStateException("job " + jobId + " has ended; artifact " + name + " was not written");
                }
            }
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write artifact " + name, e);
            }
            return file;
        }

        @Override
        public boolean isCanceled() {
            return running.isCanceled();
        }
    }
}
