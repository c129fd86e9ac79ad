package dev.reclaim.server;

import dev.reclaim.Problems;
import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupBusyException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.CleanupTally;
import dev.reclaim.cleanup.Forecast;
import dev.reclaim.cleanup.RunOrigin;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.tasks.Tasks;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code /api/v1/cleanup}: Cleanup Service settings, dry-run preview, run now and its progress,
 * history, and the service task's queue state (enqueue it for a worker in services mode, stop it).
 */
final class CleanupRoutes {
    private static final String BASE = ReclaimServer.API + "/cleanup";

    private final Reclaim reclaim;
    private final CleanupSettingsSource settings;
    /** The last run started here by {@code POST /run}; runs of other processes are not seen. */
    private final AtomicReference<CleanupProgress> progress;

    CleanupRoutes(Reclaim reclaim, CleanupSettingsSource settings) {
        this.reclaim = reclaim;
        this.settings = settings;
        this.progress = new AtomicReference<>(CleanupProgress.idle(reclaim.clock()));
    }

    /**
     * Answer of {@code POST /cleanup/preview}: the dry run's report, and what it would delete by
     * project and rule over every candidate (the report lists only the first lines).
     */
    record CleanupPreview(@JsonUnwrapped CleanupRun run,
                          @JsonProperty(required = true)
                          @JsonPropertyDescription("tasks, objects and bytes that would be deleted per project and rule, "
                                  + "most bytes first; they add up to deleted, objects and bytes")
                          List<CleanupTally.Group> groups) {
    }

    /**
     * Body of settings changes and of a preview with overrides: setting name to value, given as
     * text or as the JSON number or boolean the setting is ({@code 7}, {@code "7"}, {@code true}).
     */
    record SettingsBody(@JsonPropertyDescription("setting name to value: a number, true/false or text")
                        Map<String, JsonNode> settings) {
    }

    /** Answer of {@code GET} and {@code PUT /cleanup/settings}. */
    record CleanupSettingsView(@JsonProperty(required = true)
                               @JsonPropertyDescription("every setting by name, as text") Map<String, String> settings,
                               @JsonProperty(required = true)
                               @JsonPropertyDescription("memory, or task (the Cleanup Service task's parameters)")
                               String storedIn,
                               @JsonPropertyDescription("the Cleanup Service task; absent when kept in memory")
                               String serviceTaskId) {
    }

    /** Answer of {@code GET /cleanup/history}: a page of runs, newest first. */
    record CleanupHistory(@JsonProperty(required = true) List<CleanupRun> runs,
                          @JsonPropertyDescription("pass as cursor for the next page; absent on the last page")
                          String nextCursor) {
    }

    /** The Cleanup Service task as the UI needs it: where it is in its life, not its whole record. */
    record CleanupService(@JsonProperty(required = true) String id, @JsonProperty(required = true) String name,
                          @JsonProperty(required = true) TaskStatus status, String queue, String worker, Instant started,
                          Instant ended, @JsonPropertyDescription("true when a stop was asked for") boolean stopRequested,
                          String error) {
        static CleanupService of(Task t) {
            return new CleanupService(t.id(), t.name(), t.status(), t.queue(), t.workerId(), t.startedAt(), t.endedAt(),
                    t.systemTags().contains(ServiceTask.STOP_REQUESTED), t.error());
        }
    }

    /** Answer of {@code POST /cleanup/service/stop}: what the stop did, and the task after it. */
    record CleanupStopped(@JsonProperty(required = true) Tasks.StopOutcome outcome,
                          @JsonProperty(required = true) CleanupService service) {
    }

    List<Route> routes() {
        Route.Response settingsView = Route.Response.json(CleanupSettingsView.class);
        Route.Response service = Route.Response.json(CleanupService.class);
        Route.Response run = Route.Response.json(CleanupRun.class);
        return List.of(
                Route.get(BASE + "/settings", Role.VIEWER, "Current Cleanup Service settings", List.of(), settingsView,
                        c -> settingsView()),
                Route.put(BASE + "/settings", Role.ADMIN, "Change Cleanup Service settings (all or nothing)",
                        SettingsBody.class, settingsView, c -> {
                            settings.update(changes(c.body(SettingsBody.class)));
                            return settingsView();
                        }),
                Route.post(BASE + "/preview", Role.OPERATOR,
                        "Dry run: every task that would be deleted, the rule that selects it and the bytes it frees; "
                                + "the optional body overrides settings for this preview only",
                        List.of(), SettingsBody.class, Route.Response.json(CleanupPreview.class), this::preview)
                        .optionalBody(),
                Route.post(BASE + "/forecast", Role.OPERATOR, "What the current settings would free today, in 7 days "
                                + "and in `days` days (default 30): tasks, objects and bytes, per project; dry runs of the "
                                + "same selection as a run, nothing deleted or recorded",
                        List.of(Param.integer("days", 1, Forecast.MAX_DAYS, "the furthest look-ahead in days")), null,
                        Route.Response.json(Forecast.class), c -> {
                            int days = c.integer("days", 30, 1, Forecast.MAX_DAYS);
                            return reclaim.cleanup().forecast(settings.get(),
                                    List.copyOf(new TreeSet<>(List.of(0, Math.min(7, days), days))));
                        }),
                Route.post(BASE + "/run", Role.OPERATOR, "Run the Cleanup Service now and answer its report when it ends "
                                + "(409 with the holder when busy); GET " + BASE + "/progress follows it meanwhile",
                        List.of(), null, run, this::runNow),
                Route.get(BASE + "/progress", Role.VIEWER, "Progress of the last run started with POST " + BASE + "/run on "
                                + "this server: phase, candidates so far, tasks deleted and bytes freed so far",
                        List.of(), Route.Response.json(CleanupProgress.View.class), c -> progress.get().view()),
                Route.get(BASE + "/history", Role.VIEWER, "Past runs, newest first, a page at a time: limit (at most "
                        + MAX_RUNS + ", default 20), cursor (next_cursor of the page before)",
                        List.of(Param.integer("limit", 1, MAX_RUNS, "runs per page"),
                                Param.id("cursor", "next_cursor of the page before")),
                        Route.Response.json(CleanupHistory.class), this::history),
                Route.get(BASE + "/service", Role.VIEWER, "The Cleanup Service task: status, queue, worker, stop request",
                        List.of(), service, c -> CleanupService.of(serviceTask())),
                // Operator, like run: enqueuing runs the service with the settings an admin set; it changes no policy.
                Route.post(BASE + "/service/enqueue", Role.OPERATOR,
                        "Enqueue the Cleanup Service task on the services queue (409 unless it is a draft)", List.of(), null,
                        service, c -> enqueue()),
                Route.post(BASE + "/service/stop", Role.OPERATOR,
                        "Stop the Cleanup Service task: dequeue it, or end it after its current batch", List.of(), null,
                        Route.Response.json(CleanupStopped.class), c -> stop()));
    }

    private Task serviceTask() {
        String id = settings.serviceTaskId();
        if (id == null) {
            throw new ApiException(409, Errors.CONFLICT, "this store has no Cleanup Service task (settings are kept in the "
                    + "server's memory); run cleanup with POST " + BASE + "/run, or start the server with --cleanup-service");
        }
        return reclaim.tasks().get(id);
    }

    private Object enqueue() {
        Task t = serviceTask();
        // Checked here for a clear 409; Tasks.enqueue checks again atomically, so a race still changes nothing.
        if (t.status() != TaskStatus.CREATED) {
            throw new ApiException(409, Errors.CONFLICT, "the Cleanup Service is already " + t.status()
                    + (t.queue() != null ? " on queue " + t.queue() : "") + "; stop it first with POST " + BASE + "/service/stop",
                    Map.of("service", CleanupService.of(t)));
        }
        return CleanupService.of(reclaim.tasks().enqueue(t.id(), ServiceTask.QUEUE));
    }

    private Object stop() {
        Task t = serviceTask();
        Tasks.StopOutcome outcome = reclaim.tasks().stop(t.id());
        return new CleanupStopped(outcome, CleanupService.of(reclaim.tasks().get(t.id())));
    }

    private CleanupSettingsView settingsView() {
        return new CleanupSettingsView(settings.get().toMap(), settings.kind(), settings.serviceTaskId());
    }

    private static Map<String, String> changes(SettingsBody b) {
        if (b.settings() == null || b.settings().isEmpty()) {
            throw ApiException.badRequest("settings is required: e.g. {\"settings\": {\"delete_threshold_days\": \"7\"}}; known: "
                    + String.join(", ", CleanupSettings.NAMES));
        }
        return asText(b.settings());
    }

    /** The values as the settings parser reads them: text, numbers and booleans as written; nothing else. */
    private static Map<String, String> asText(Map<String, JsonNode> values) {
        Map<String, String> text = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            if (v == null || !(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw ApiException.badRequest("setting " + name + " must be a number, true/false or text, not "
                        + (v == null || v.isNull() ? "null" : v.isArray() ? "a list" : "an object")
                        + "; e.g. {\"settings\": {\"" + name + "\": 7}}");
            }
            text.put(name, v.isTextual() ? v.textValue() : v.asText());
        });
        return text;
    }

    private Object preview(Call c) {
        SettingsBody b = c.bodyOr(SettingsBody.class, new SettingsBody(Map.of()));
        CleanupSettings s = settings.get();
        if (b.settings() != null && !b.settings().isEmpty()) {
            s = s.with(asText(b.settings()), "preview settings");
        }
        // the groups come from the preview's own dry run, so they cover every candidate and match its totals
        CleanupTally tally = new CleanupTally();
        CleanupRun run = run(c, s.toBuilder().dryRun(true).runAsService(false).build(), tally);
        return new CleanupPreview(run, tally.groups());
    }

    private CleanupRun runNow(Call c) {
        CleanupProgress mine = CleanupProgress.starting(reclaim.clock(), c.caller());
        CleanupProgress before = progress.getAndSet(mine);
        try {
            CleanupRun run = run(c, settings.get().toBuilder().dryRun(false).runAsService(false).build(), mine);
            mine.finished(run);
            return run;
        } catch (CleanupBusyException busy) {
            // this request ran nothing: the progress is still that of the run before (or of the one running)
            progress.compareAndSet(mine, before);
            throw busy;
        } catch (RuntimeException e) {
            mine.failed(Problems.describe(e));
            throw e;
        }
    }

    /** The web UI labels its requests; the label only names the run's trigger, it grants nothing. */
    static final String CLIENT_HEADER = "X-Reclaim-Client";

    private CleanupRun run(Call c, CleanupSettings s, CleanupListener listener) {
        RunOrigin.Trigger trigger = "web-ui".equals(c.ctx().header(CLIENT_HEADER)) ? RunOrigin.Trigger.UI : RunOrigin.Trigger.API;
        return reclaim.cleanup().runOnce(s, new RunOrigin(trigger, c.caller()), settings.serviceTaskId(), listener);
    }

    /** Runs per page: each carries up to {@value CleanupRun#MAX_ITEMS_KEPT} lines. */
    static final int MAX_RUNS = 100;

    private Object history(Call c) {
        int limit = c.integer("limit", 20, 1, MAX_RUNS);
        String after = c.one("cursor");
        if (after != null && !Ids.looksValid(after)) {
            throw ApiException.badRequest("cursor '" + after + "' is not one this route gave: pass next_cursor of the page before");
        }
        // one more than the page tells whether another page follows
        List<CleanupRun> found = reclaim.cleanup().history(after, limit + 1);
        List<CleanupRun> page = found.size() > limit ? found.subList(0, limit) : found;
        return new CleanupHistory(page, found.size() > limit ? page.get(page.size() - 1).id() : null);
    }
}
