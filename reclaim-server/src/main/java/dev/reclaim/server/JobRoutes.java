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

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
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

    List<Route> routes() {
        return List.of(
                Route.post(BASE, Role.OPERATOR, "Submit a command job (waits at most ?timeout when wait_for_end is true)",
                        List.of("timeout"), "SubmitBody: command[], name, project, queue, env{}, working_dir, wait_for_end, auto_cleanup, console_output",
                        this::submit),
                Route.get(BASE, Role.VIEWER, "List jobs (state, start_time, end_time; times inclusive), a page at a time: "
                        + "order=oldest|newest, page_size (at most 500, default 100), cursor (next_cursor of the page before)",
                        List.of("state", "start_time", "end_time", "order", "page_size", "cursor"), this::list),
                Route.get(BASE + "/{id}", Role.VIEWER, "Status of a job", List.of(), c -> status(c.id("id"))),
                Route.get(BASE + "/{id}/wait", Role.VIEWER, "Wait until the job ends or ?timeout passes (bounded)",
                        List.of("timeout"), this::waitFor),
                Route.post(BASE + "/{id}/cancel", Role.OPERATOR, "Cancel a queued or running job (removes its artifacts)",
                        List.of(), null, this::cancel),
                Route.post(BASE + "/{id}/results", Role.OPERATOR,
                        "Hand back the results (auto_cleanup deletes the job afterwards) with download links",
                        List.of("console_output", "auto_cleanup"), null, this::results),
                Route.get(BASE + "/{id}/output", Role.VIEWER, "Console output from ?offset (characters), at most 1 MiB "
                        + "per response; next_offset continues while more is true", List.of("offset"), this::output),
                Route.post(BASE + "/{id}/cleanup", Role.OPERATOR, "Clean up one job (409 when it needs force)",
                        List.of("force", "verbose"), null, this::cleanupOne),
                Route.post(BASE + "/cleanup", Role.OPERATOR, "Clean up several jobs, continuing past failures",
                        List.of(), "CleanupBody: ids[], force, verbose", this::cleanupMany));
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", h.id());
        out.put("name", h.name());
        out.put("queue", h.queue());
        out.put("status", s.name());
        if (!reclaim.hasLiveWorker(h.queue())) {
            out.put("warning", "no worker serves queue " + h.queue() + "; the job waits until one starts (reclaim worker --queue "
                    + h.queue() + ")");
        }
        return new Route.Reply(201, out);
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", page.items());
        out.put("next_cursor", page.nextCursor());
        return out;
    }

    private static Instant time(Call c, String name) {
        String v = c.one(name);
        try {
            return v == null ? null : TimeCondition.parseInstant(name, v.trim());
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException(name + ": '" + v + "' is out of range");
        }
    }

    private Map<String, Object> status(String id) {
        JobStatus s = reclaim.jobs().status(id);
        if (s == JobStatus.MISSING) {
            throw ApiException.notFound("job " + id + " is MISSING: it was never submitted or was already cleaned up");
        }
        return Map.of("id", id, "status", s.name());
    }

    private Object waitFor(Call c) {
        String id = c.id("id");
        Duration timeout = c.duration("timeout", settings.maxWait(), settings.maxWait());
        status(id);
        JobStatus s = reclaim.jobs().waitFor(id, timeout);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("status", s.name());
        out.put("ended", s != JobStatus.QUEUED && s != JobStatus.RUNNING);
        return out;
    }

    private Object cancel(Call c) {
        String id = c.id("id");
        status(id);
        if (!reclaim.jobs().cancel(id)) {
            throw new ApiException(409, Errors.CONFLICT, "job " + id + " is " + reclaim.jobs().status(id)
                    + "; only QUEUED or RUNNING jobs can be canceled (clean it up instead)");
        }
        return Map.of("id", id, "canceled", true, "status", reclaim.jobs().status(id).name());
    }

    private Object results(Call c) {
        String id = c.id("id");
        Boolean console = c.bool("console_output");
        Boolean auto = c.bool("auto_cleanup");
        // Links are gathered first: with auto-cleanup the artifacts are gone once results return.
        List<Artifact> live = reclaim.tasks().liveArtifacts(id);
        // at most a page of links (by id, as GET /tasks/{id}/artifacts pages them); the rest from there
        List<Artifact> linked = live.stream().sorted(Comparator.comparing(Artifact::id)).limit(MAX_LINKS).toList();
        List<Map<String, Object>> artifacts = linked.stream().map(TaskRoutes::artifactView).toList();
        long resultBytes = live.stream().filter(a -> a.kind() == ArtifactKind.RESULT).mapToLong(Artifact::sizeBytes).sum();
        boolean resultTooLarge = resultBytes > MAX_OUTPUT_BYTES;
        checkAnswerable(id, console, auto, resultTooLarge, resultBytes);
        JobResults r = reclaim.jobs().results(id, console, auto);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", id);
        if (resultTooLarge) {
            out.put("result_omitted", "result.json is " + resultBytes + " bytes, more than one answer carries ("
                    + MAX_OUTPUT_BYTES + "); download it from the link of its RESULT artifact");
        } else {
            out.put("result", r.resultJson() == null ? null : HttpJson.readTree(r.resultJson()));
        }
        if (r.consoleOutput() != null) {
            out.put("console_output", r.consoleOutput());
        }
        out.put("cleaned_up", r.cleanedUp());
        out.put("artifacts", r.cleanedUp() ? List.of() : artifacts);
        if (!r.cleanedUp() && live.size() > MAX_LINKS) {
            out.put("artifacts_next_cursor", linked.get(linked.size() - 1).id());
        }
        return out;
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("offset", offset);
        out.put("next_offset", Math.max(offset, to));
        out.put("more", to < text.length());
        out.put("text", text.substring(from, to));
        return out;
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
        return Map.of("reports", shown);
    }
}
