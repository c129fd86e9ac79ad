package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.store.StorageUsage.UsageDay;
import dev.reclaim.store.StorageUsage.UsageReport;
import dev.reclaim.tokens.Role;
import dev.reclaim.usage.UsageReports;

import java.util.List;

/** Where the bytes are over HTTP: {@code GET /api/v1/usage}, the report {@code reclaim du} prints. */
final class UsageRoutes {
    private static final String USAGE = ReclaimServer.API + "/usage";
    private final Reclaim reclaim;

    UsageRoutes(Reclaim reclaim) {
        this.reclaim = reclaim;
    }

    List<Route> routes() {
        return List.of(usage(), history());
    }

    private Route history() {
        return Route.get(USAGE + "/history", Role.VIEWER, "Stored objects and bytes at the end of each of the last `days` "
                        + "UTC days (today last) with the bytes added and freed each day, rebuilt from what is stored now "
                        + "(by the creation day of its task) and the deletions the audit trail recorded since",
                List.of(Param.integer("days", 1, UsageReports.MAX_HISTORY_DAYS, "days covered (default 30)")),
                Route.Response.json(UsageHistory.class),
                c -> new UsageHistory(reclaim.usage().history(c.integer("days", 30, 1, UsageReports.MAX_HISTORY_DAYS))));
    }

    /**
     * The days of a storage history, oldest first.
     *
     * @param days one line per day
     */
    record UsageHistory(List<UsageDay> days) {
    }

    private Route usage() {
        return Route.get(USAGE, Role.VIEWER, "Stored objects and bytes of live artifacts grouped by `by` (any of "
                        + "project, kind, status, archived, owner, age; comma-separated), the totals, and the `top` largest "
                        + "tasks and projects; read from totals the store keeps, never a scan",
                List.of(Param.text("by", "dimensions, e.g. project,kind (default: none, totals only)"),
                        Param.integer("top", 0, 1000, "largest tasks and projects listed (default 10)")),
                Route.Response.json(UsageReport.class),
                c -> reclaim.usage().report(UsageReports.dimensions(c.one("by")), c.integer("top", 10, 0, 1000)));
    }
}
