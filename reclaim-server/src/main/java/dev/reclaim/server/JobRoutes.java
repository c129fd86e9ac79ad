package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.jobs.CleanupReport;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.JobFilter;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.jobs.JobInfo;
import dev.reclaim.jobs.JobResults;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Ids;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Task;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/jobs}: the remote-job API (docs/rules.md section 2) over HTTP; command jobs only. */
final class JobRoutes {
    private static final String BASE = ReclaimServer.API + "/jobs";
    /** Most bytes (UTF-8) of console output one response carries; a client continues from next_offset. */
    static final int MAX_OUTPUT_BYTES = 1 << 20;
    /** Most download links one results answer lists; the rest come from the task's artifact pages. */
    static final int MAX_LINKS = TaskQuery.MAX_PAGE_SIZE;

    private final Reclaim reclaim;
    private final ServerSettings settings;

    JobRoutes(Reclaim reclaim, ServerSettings settings) {
        this.reclaim = reclaim;
        this.settings = settings;
    }

    /** Body of {@code POST /jobs}. */
    record SubmitBody(List<String> command, String name, String project, String queue, Map<String, String> env,
                      @JsonProperty("working_dir") String workingDir,
                      @JsonProperty("wait_for_end") Boolean waitForEnd,
                      @JsonProperty("auto_cleanup") Boolean autoCleanup,
                      @JsonProperty("console_output") Boolean consoleOutput) {
    }

    /** Body of {@code POST /jobs/cleanup}. */
    record CleanupBody(List<String> ids, Boolean force, Boolean verbose) {
    }

    /** Answer of {@code POST /jobs}: the job as queued (or ended, with wait_for_end). */
    record JobSubmitted(@JsonProperty(required = true) String id, String name, @JsonProperty(required = true) String queue,
                        @JsonProperty(required = true) JobStatus status,
                        @JsonPropertyDescription("set when no worker serves the queue: the job waits until one starts")
                        String warning) {
    }

    /** Answer of {@code GET /jobs}: a page of jobs and where the next starts. */
    record JobPage(@JsonProperty(required = true) List<JobInfo> jobs,
                   @JsonPropertyDescription("pass as cursor for the next page; absent on the last page") String nextCursor) {
    }

    /** Answer of {@code GET /jobs/{id}}. */
    record JobState(@JsonProperty(required = true) String id, @JsonProperty(required = true) JobStatus status) {
    }

    /** Answer of {@code GET /jobs/{id}/wait}. */
    record JobWaited(@JsonProperty(required = true) String id, @JsonProperty(required = true) JobStatus status,
                     @JsonPropertyDescription("true when the job is no longer QUEUED or RUNNING") boolean ended) {
    }

    /** Answer of {@code POST /jobs/{id}/cancel}. */
    record JobCanceled(@JsonProperty(required = true) String id, boolean canceled,
                       @JsonProperty(required = true) JobStatus status) {
    }

    /** Answer of {@code POST /jobs/{id}/results}: what the job handed back and where its artifacts are. */
    record JobResultsView(@JsonProperty(required = true) String jobId,
                          @JsonPropertyDescription("the job's result.json as JSON (its text when it is not JSON); "
                                  + "absent when it wrote none or when result_omitted says why") Object result,
                          @JsonPropertyDescription("why the result is not inlined: download it from its RESULT artifact")
                          String resultOmitted,
                          @JsonPropertyDescription("the console output, when asked for") String consoleOutput,
                          @JsonPropertyDescription("true when auto_cleanup deleted the job") boolean cleanedUp,
                          @JsonProperty(required = true) List<TaskRoutes.TaskArtifact> artifacts,
                          @JsonPropertyDescription("more artifacts follow: pass as cursor to GET /api/v1/tasks/{id}/artifacts")
                          String artifactsNextCursor) {
    }

    /** Answer of {@code GET /jobs/{id}/output}: a piece of the console output. */
    record JobOutput(@JsonProperty(required = true) String id, int offset,
                     @JsonPropertyDescription("the offset to ask for next") int nextOffset,
                     @JsonPropertyDescription("true while more output follows") boolean more,
                     @JsonProperty(required = true) String text) {
    }

    /** Answer of the cleanup routes: one report per job. */
    record JobCleanups(@JsonProperty(required = true) List<CleanupReport> reports) {
    }

    List<Route> routes() {
        Param timeout = Param.duration("timeout", "how long to wait at most, e.g. 500ms, 10s or 1m (bounded by the server)");
        Route.Response cleanups = Route.Response.json(JobCleanups.class);
        return List.of(
                Route.post(BASE, Role.OPERATOR, "Submit a command job (waits at most ?timeout when wait_for_end is true)",
                        List.of(timeout), SubmitBody.class, Route.Response.created(JobSubmitted.class), this::submit),
                Route.get(BASE, Role.VIEWER, "List jobs (state, start_time, end_time; times inclusive), a page at a time: "
                        + "order=oldest|newest, page_size (at most 500, default 100), cursor (next_cursor of the page before)",
                        List.of(Param.oneOf("state", Arrays.stream(JobStatus.values()).map(Enum::name).toList(),
                                        "only jobs in these states (case-insensitive)").repeated(),
                                Param.text("start_time", "only jobs created at or after: ISO-8601 UTC or epoch seconds"),
                                Param.text("end_time", "only jobs created at or before: ISO-8601 UTC or epoch seconds"),
                                Param.oneOf("order", List.of("oldest", "newest"), "oldest first (default) or newest first"),
                                Param.integer("page_size", 1, TaskQuery.MAX_PAGE_SIZE, "jobs per page"),
                                Param.text("cursor", "next_cursor of the page before")),
                        Route.Response.json(JobPage.class), this::list),
                Route.get(BASE + "/{id}", Role.VIEWER, "Status of a job", List.of(), Route.Response.json(JobState.class),
                        c -> status(c.id("id"))),
                Route.get(BASE + "/{id}/wait", Role.VIEWER, "Wait until the job ends or ?timeout passes (bounded)",
                        List.of(timeout), Route.Response.json(JobWaited.class), this::waitFor),
                Route.post(BASE + "/{id}/cancel", Role.OPERATOR, "Cancel a queued or running job (removes its artifacts)",
                        List.of(), null, Route.Response.json(JobCanceled.class), this::cancel),
                Route.post(BASE + "/{id}/results", Role.OPERATOR,
                        "Hand back the results (auto_cleanup deletes the job afterwards) with download links",
                        List.of(Param.flag("console_output", "include the console output (default: as submitted)"),
                                Param.flag("auto_cleanup", "delete the job afterwards (default: as submitted)")),
                        null, Route.Response.json(JobResultsView.class), this::results),
                Route.get(BASE + "/{id}/output", Role.VIEWER, "Console output from ?offset (characters), at most 1 MiB "
                        + "per response; next_offset continues while more is true",
                        List.of(Param.integer("offset", 0, Integer.MAX_VALUE, "the character to start from")),
                        Route.Response.json(JobOutput.class), this::output),
                Route.post(BASE + "/{id}/cleanup", Role.OPERATOR, "Clean up one job (409 when it needs force)",
                        List.of(Param.flag("force", "clean up even when the job needs force"),
                                Param.flag("verbose", "list each object and record deleted (default true)")),
                        null, cleanups, this::cleanupOne),
                Route.post(BASE + "/cleanup", Role.OPERATOR, "Clean up several jobs, continuing past failures",
                        List.of(), CleanupBody.class, cleanups, this::cleanupMany));
    }

    private Object submit(Call c) {
        SubmitBody b = c.body(SubmitBody.class);
        Duration timeout = c.duration("timeout", settings.maxWait(), settings.maxWait());
        if (b.command() == null || b.command().isEmpty()) {
            throw ApiException.badRequest("command is required: the program and its arguments, e.g. [\"sh\", \"-c\", \"echo hi\"]");
        }
        CommandJob job = new CommandJob(b.name(), b.project(), b.command(), b.env(), b.workingDir());
        // The HTTP thread never blocks without bound: the job is queued for this server's (or any)
        // worker, and wait_for_end waits at most the timeout. The submitted options keep the
        // caller's auto_cleanup and console_output, which results() resolves later.
        ComputeContext ctx = new ComputeContext(b.queue(), new JobOptions(false, b.autoCleanup(), b.consoleOutput()));
        JobHandle h = reclaim.jobs().submit(job, ctx);
        JobStatus s = Boolean.TRUE.equals(b.waitForEnd()) ? reclaim.jobs().waitFor(h.id(), timeout) : reclaim.jobs().status(h.id());
        String warning = reclaim.hasLiveWorker(h.queue()) ? null : "no worker serves queue " + h.queue()
                + "; the job waits until one starts (reclaim worker --queue " + h.queue() + ")";
        return new Route.Reply(201, new JobSubmitted(h.id(), h.name(), h.queue(), s, warning));
    }

    private Object list(Call c) {
        Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
        c.all("state").forEach(s -> states.add(JobStatus.parse(s)));
        Instant start = time(c, "start_time");
        Instant end = time(c, "end_time");
        String order = c.one("order");
        if (order != null && !order.equals("oldest") && !order.equals("newest")) {
            throw ApiException.badRequest("order must be oldest or newest, got '" + order + "'");
        }
        int pageSize = c.integer("page_size", TaskQuery.DEFAULT_PAGE_SIZE, 1, TaskQuery.MAX_PAGE_SIZE);
        // One page per request: the whole list of a large store would be one unbounded answer.
        Page<JobInfo> page = reclaim.jobs().page(new JobFilter(states, start, end), "newest".equals(order), c.one("cursor"),
                pageSize);
        return new JobPage(page.items(), page.nextCursor());
    }

    private static Instant time(Call c, String name) {
        String v = c.one(name);
        try {
            return v == null ? null : TimeCondition.parseInstant(name, v.trim());
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException(name + ": '" + v + "' is out of range");
        }
    }

    private JobState status(String id) {
        JobStatus s = reclaim.jobs().status(id);
        if (s == JobStatus.MISSING) {
            throw ApiException.notFound("job " + id + " is MISSING: it was never submitted or was already cleaned up");
        }
        return new JobState(id, s);
    }

    private Object waitFor(Call c) {
        String id = c.id("id");
        Duration timeout = c.duration("timeout", settings.maxWait(), settings.maxWait());
        status(id);
        JobStatus s = reclaim.jobs().waitFor(id, timeout);
        return new JobWaited(id, s, s != JobStatus.QUEUED && s != JobStatus.RUNNING);
    }

    private Object cancel(Call c) {
        String id = c.id("id");
        status(id);
        if (!reclaim.jobs().cancel(id)) {
            throw new ApiException(409, Errors.CONFLICT, "job " + id + " is " + reclaim.jobs().status(id)
                    + "; only QUEUED or RUNNING jobs can be canceled (clean it up instead)");
        }
        return new JobCanceled(id, true, reclaim.jobs().status(id));
    }

    private Object results(Call c) {
        String id = c.id("id");
        Boolean console = c.bool("console_output");
        Boolean auto = c.bool("auto_cleanup");
        // Links are gathered first: with auto-cleanup the artifacts are gone once results return.
        List<Artifact> live = reclaim.tasks().liveArtifacts(id);
        // at most a page of links (by id, as GET /tasks/{id}/artifacts pages them); the rest from there
        List<Artifact> linked = live.stream().sorted(Comparator.comparing(Artifact::id)).limit(MAX_LINKS).toList();
        List<TaskRoutes.TaskArtifact> artifacts = linked.stream().map(TaskRoutes.TaskArtifact::of).toList();
        long resultBytes = live.stream().filter(a -> a.kind() == ArtifactKind.RESULT).mapToLong(Artifact::sizeBytes).sum();
        boolean resultTooLarge = resultBytes > MAX_OUTPUT_BYTES;
        checkAnswerable(id, console, auto, resultTooLarge, resultBytes);
        JobResults r = reclaim.jobs().results(id, console, auto);
        String omitted = resultTooLarge ? "result.json is " + resultBytes + " bytes, more than one answer carries ("
                + MAX_OUTPUT_BYTES + "); download it from the link of its RESULT artifact" : null;
        Object result = resultTooLarge || r.resultJson() == null ? null : HttpJson.readTree(r.resultJson());
        String next = !r.cleanedUp() && live.size() > MAX_LINKS ? linked.get(linked.size() - 1).id() : null;
        return new JobResultsView(id, result, omitted, r.consoleOutput(), r.cleanedUp(),
                r.cleanedUp() ? List.of() : artifacts, next);
    }

    /**
     * Refuses, before anything is handed back or deleted, results that one answer cannot carry: a
     * console over {@link #MAX_OUTPUT_BYTES} when it is asked for, and a result over it when
     * auto-cleanup would delete the only other way to get it (its download link).
     */
    private void checkAnswerable(String id, Boolean console, Boolean auto, boolean resultTooLarge, long resultBytes) {
        Task task = reclaim.tasks().find(id).orElse(null);
        if (task == null || reclaim.jobs().status(id) != JobStatus.FINISHED) {
            return; // results() says why there are none
        }
        if (task.submittedOptions().resolveConsoleOutput(console)) {
            String text = reclaim.jobs().output(id);
            if (pieceEnd(text, 0, MAX_OUTPUT_BYTES) < text.length()) {
                throw new ApiException(409, Errors.TOO_LARGE, "the console output of job " + id + " is larger than one "
                        + "answer carries (" + MAX_OUTPUT_BYTES + " bytes); read it with GET " + BASE + "/" + id
                        + "/output, following next_offset, then ask for the results with console_output=false; "
                        + "nothing was changed");
            }
        }
        if (resultTooLarge && task.submittedOptions().resolveAutoCleanup(auto)) {
            throw new ApiException(409, Errors.TOO_LARGE, "the result of job " + id + " (result.json) is " + resultBytes
                    + " bytes, more than one answer carries (" + MAX_OUTPUT_BYTES + "); ask with auto_cleanup=false to get "
                    + "its download link, download it, then clean the job up; nothing was changed");
        }
    }

    private Object output(Call c) {
        String id = c.id("id");
        int offset = c.integer("offset", 0, 0, Integer.MAX_VALUE);
        status(id);
        String text = reclaim.jobs().output(id);
        int from = Math.min(offset, text.length());
        int to = pieceEnd(text, from, MAX_OUTPUT_BYTES);
        return new JobOutput(id, offset, Math.max(offset, to), to < text.length(), text.substring(from, to));
    }

    /**
     * Where a piece of {@code text} starting at {@code from} ends so that it holds at most
     * {@code maxBytes} bytes of UTF-8 and never splits a character (a surrogate pair stays whole).
     */
    static int pieceEnd(String text, int from, int maxBytes) {
        long bytes = 0;
        int i = from;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return i;
    }

    private Object cleanupOne(Call c) {
        String id = c.id("id");
        boolean force = c.bool("force", false);
        boolean verbose = c.bool("verbose", true);
        return reply(reclaim.jobs().cleanup(List.of(id), force, DeletionListener.NONE), verbose);
    }

    private Object cleanupMany(Call c) {
        CleanupBody b = c.body(CleanupBody.class);
        if (b.ids() == null || b.ids().isEmpty()) {
            throw ApiException.badRequest("ids is required: the jobs to clean up");
        }
        for (String id : b.ids()) {
            if (!Ids.looksValid(id)) {
                throw ApiException.badRequest("ids: '" + id + "' is not a Reclaim id (28 lowercase hex digits); nothing was deleted");
            }
        }
        return reply(reclaim.jobs().cleanup(b.ids(), Boolean.TRUE.equals(b.force()), DeletionListener.NONE),
                b.verbose() == null || b.verbose());
    }

    /** 200 with the per-job table; 409 (with the same table) when any job needs force. */
    private static Object reply(List<CleanupReport> reports, boolean verbose) {
        List<CleanupReport> shown = verbose ? reports : reports.stream()
                .map(r -> new CleanupReport(r.jobId(), r.statusBefore(), r.outcome(), r.message(), r.objects(), r.bytes(), List.of()))
                .toList();
        List<CleanupReport> needForce = reports.stream()
                .filter(r -> r.outcome() == CleanupReport.Outcome.SKIPPED_NEEDS_FORCE).toList();
        if (!needForce.isEmpty()) {
            String msg = needForce.size() == 1 ? needForce.get(0).message() + "; to proceed, call again with force=true"
                    : needForce.size() + " job(s) need force: " + needForce.get(0).message() + "; to proceed, call again with force=true";
            throw new ApiException(409, Errors.NEEDS_FORCE, msg, Map.of("reports", shown));
        }
        return new JobCleanups(shown);
    }
}
