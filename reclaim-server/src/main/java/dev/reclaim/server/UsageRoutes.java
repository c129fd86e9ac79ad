package dev.reclaim.server;

import dev.reclaim.Reclaim;
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
        return List.of(Route.get(USAGE, Role.VIEWER, "Stored objects and bytes of live artifacts grouped by `by` (any of "
                        + "project, kind, status, archived, owner, age; comma-separated), the totals, and the `top` largest "
                        + "tasks and projects; read from totals the store keeps, never a scan",
                List.of(Param.text("by", "dimensions, e.g. project,kind (default: none, totals only)"),
                        Param.integer("top", 0, 1000, "largest tasks and projects listed (default 10)")),
                Route.Response.json(UsageReport.class),
                c -> reclaim.usage().report(UsageReports.dimensions(c.one("by")), c.integer("top", 10, 0, 1000))));
    }
}
