package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.tasks.Tasks;
import dev.reclaim.tokens.Role;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/cleanup}: Cleanup Service settings, dry-run preview, run now, history, and the
 * service task's queue state (enqueue it for a worker in services mode, stop it).
 */
final class CleanupRoutes {
    private static final String BASE = ReclaimServer.API + "/cleanup";

    private final Reclaim reclaim;
    private final CleanupSettingsSource settings;

    CleanupRoutes(Reclaim reclaim, CleanupSettingsSource settings) {
        this.reclaim = reclaim;
        this.settings = settings;
    }

    /**
     * Body of settings changes and of a preview with overrides: setting name to value, given as
     * text or as the JSON number or boolean the setting is ({@code 7}, {@code "7"}, {@code true}).
     */
    record SettingsBody(Map<String, JsonNode> settings) {
    }

    List<Route> routes() {
        return List.of(
                Route.get(BASE + "/settings", Role.VIEWER, "Current Cleanup Service settings", List.of(), c -> settingsView()),
                Route.put(BASE + "/settings", Role.ADMIN, "Change Cleanup Service settings (all or nothing)",
                        "SettingsBody: settings{name: value}", c -> {
                            settings.update(changes(c.body(SettingsBody.class)));
                            return settingsView();
                        }),
                Route.post(BASE + "/preview", Role.OPERATOR,
                        "Dry run: every task that would be deleted, the rule that selects it and the bytes it frees",
                        List.of(), "SettingsBody (optional): settings{name: value} overrides for this preview only",
                        this::preview),
                Route.post(BASE + "/run", Role.OPERATOR, "Run the Cleanup Service now (409 with the holder when busy)",
                        List.of(), null, c -> run(settings.get().toBuilder().dryRun(false).runAsService(false).build())),
                Route.get(BASE + "/history", Role.VIEWER, "Past runs, newest first, a page at a time: limit (at most "
                        + MAX_RUNS + ", default 20), cursor (next_cursor of the page before)", List.of("limit", "cursor"),
                        this::history),
                Route.get(BASE + "/service", Role.VIEWER, "The Cleanup Service task: status, queue, worker, stop request",
                        List.of(), c -> serviceView(serviceTask())),
                // Operator, like run: enqueuing runs the service with the settings an admin set; it changes no policy.
                Route.post(BASE + "/service/enqueue", Role.OPERATOR,
                        "Enqueue the Cleanup Service task on the services queue (409 unless it is a draft)", List.of(), null,
                        c -> enqueue()),
                Route.post(BASE + "/service/stop", Role.OPERATOR,
                        "Stop the Cleanup Service task: dequeue it, or end it after its current batch", List.of(), null,
                        c -> stop()));
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
                    Map.of("service", serviceView(t)));
        }
        return serviceView(reclaim.tasks().enqueue(t.id(), ServiceTask.QUEUE));
    }

    private Object stop() {
        Task t = serviceTask();
        Tasks.StopOutcome outcome = reclaim.tasks().stop(t.id());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", outcome.name());
        out.put("service", serviceView(reclaim.tasks().get(t.id())));
        return out;
    }

    /** The service task as the UI needs it: where it is in its life, not its whole record. */
    private static Map<String, Object> serviceView(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("status", t.status().name());
        m.put("queue", t.queue());
        m.put("worker", t.workerId());
        m.put("started", t.startedAt());
        m.put("ended", t.endedAt());
        m.put("stop_requested", t.systemTags().contains(ServiceTask.STOP_REQUESTED));
        m.put("error", t.error());
        return m;
    }

    private Map<String, Object> settingsView() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("settings", settings.get().toMap());
        out.put("stored_in", settings.kind());
        out.put("service_task_id", settings.serviceTaskId());
        return out;
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
        return run(s.toBuilder().dryRun(true).runAsService(false).build());
    }

    private CleanupRun run(CleanupSettings s) {
        return reclaim.cleanup().runOnce(s, settings.serviceTaskId(), CleanupListener.NONE);
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", page);
        out.put("next_cursor", found.size() > limit ? page.get(page.size() - 1).id() : null);
        return out;
    }
}
