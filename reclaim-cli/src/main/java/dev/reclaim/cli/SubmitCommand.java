package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code reclaim jobs submit [options] -- CMD [ARGS...]}. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Submits a command as a job and prints its id (first line of stdout).",
                "The command gets RECLAIM_JOB_ID and RECLAIM_OUTPUT; files it writes to $RECLAIM_OUTPUT/models/, "
                        + "artifacts/, debug/ and result.json become the job's artifacts; its stdout and stderr its console.",
                "It runs in the current folder. By default submit waits until the job ends (it runs it in this "
                        + "process if no worker serves the queue) and exits 0 if it finished, 1 otherwise."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  reclaim jobs submit --name train -- \\",
                "      sh -c 'cd $RECLAIM_OUTPUT && touch models/m.ckpt && echo 1 > result.json'",
                "  id=$(reclaim jobs submit --no-wait --queue gpu -- python train.py)",
                "  reclaim worker --queue gpu     # elsewhere: runs the queued job"})
final class SubmitCommand extends HomeCommand {
    @Option(names = "--name", paramLabel = "N", description = "Job name. Default: the program's name.")
    String name;

    @Option(names = "--project", paramLabel = "P", description = "Project. Default: default.")
    String project;

    @Option(names = "--queue", paramLabel = "Q", description = "Queue the job waits on. Default: default.")
    String queue;

    @Option(names = "--no-wait", description = "Return at once after queueing; a worker runs the job.")
    boolean noWait;

    @Option(names = "--no-auto-cleanup",
            description = "Keep the job's artifacts when its results are retrieved (default: retrieving results deletes them).")
    boolean noAutoCleanup;

    @Option(names = "--console-output",
            description = "Results are preceded by the console output; when waiting, the console is also printed to stderr.")
    boolean consoleOutput;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The program and its arguments, after '--'.")
    List<String> command;

    private CommandJob job;
    private ComputeContext context;

    @Override
    void validate() {
        CliEnvironment env = root().environment();
        context = new ComputeContext(queue, new JobOptions(noWait ? Boolean.FALSE : null,
                noAutoCleanup ? Boolean.FALSE : null, consoleOutput ? Boolean.TRUE : null));
        job = new CommandJob(name, project, command, Map.of(), env.cwd().toString());
        Programs.check(command.get(0), env);
    }

    @Override
    boolean runsJobs() {
        return !noWait; // a waiting submit runs the job here when no worker serves its queue
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        JobHandle handle = reclaim.jobs().submit(job, context);
        out().println(handle.id());
        out().flush();
        if (noWait) {
            if (!reclaim.hasLiveWorker(handle.queue())) {
                err().println("job " + handle.id() + " is queued, but no worker serves queue " + handle.queue()
                        + "; start one with: ./reclaim" + homeOption(home) + " worker --queue " + handle.queue());
            }
            return ExitCodes.OK;
        }
        JobStatus status = reclaim.jobs().status(handle.id());
        if (consoleOutput) {
            err().print(Text.withNewline(reclaim.jobs().output(handle.id())));
        }
        if (status == JobStatus.FINISHED) {
            err().println("job " + handle.id() + " " + status);
            return ExitCodes.OK;
        }
        err().println(JobDescriptions.ended(reclaim, handle.id(), status));
        return ExitCodes.FAILED;
    }
}
