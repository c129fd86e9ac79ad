package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/cleanup}: Cleanup Service settings, dry-run preview, run now and history. */
final class CleanupRoutes {
    private static final String BASE = ReclaimServer.API + "/cleanup";

    private final Reclaim reclaim;
    private final CleanupSettingsSource settings;

    CleanupRoutes(Reclaim reclaim, CleanupSettingsSource settings) {
        this.reclaim = reclaim;
        this.settings = settings;
    }

    /** Body of settings changes and of a preview with overrides: setting name to value. */
    record SettingsBody(Map<String, String> settings) {
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
                Route.get(BASE + "/history", Role.VIEWER, "Past runs, newest first", List.of("limit"),
                        c -> Map.of("runs", reclaim.cleanup().history(c.integer("limit", 20, 1, 1000)))));
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
        return b.settings();
    }

    private Object preview(Call c) {
        SettingsBody b = c.bodyOr(SettingsBody.class, new SettingsBody(Map.of()));
        CleanupSettings s = settings.get();
        if (b.settings() != null && !b.settings().isEmpty()) {
            s = s.with(b.settings(), "preview settings");
        }
        return run(s.toBuilder().dryRun(true).runAsService(false).build());
    }

    private CleanupRun run(CleanupSettings s) {
        return reclaim.cleanup().runOnce(s, settings.serviceTaskId(), CleanupListener.NONE);
    }
}
