package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.model.Ids;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditQuery;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.tokens.Role;

import java.time.Instant;
import java.util.List;

/**
 * The audit trail over HTTP: {@code GET /api/v1/audit} (filtered, a page at a time), and a Cleanup
 * Service run with every task it deleted ({@code GET /api/v1/cleanup/runs/{id}} and its
 * {@code /deleted} pages).
 */
final class AuditRoutes {
    private static final String AUDIT = ReclaimServer.API + "/audit";
    private static final String RUNS = ReclaimServer.API + "/cleanup/runs";
    private static final int DEFAULT_LIMIT = 100;
    private final Reclaim reclaim;

    AuditRoutes(Reclaim reclaim) {
        this.reclaim = reclaim;
    }

    List<Route> routes() {
        Route.Response page = Route.Response.json(AuditPage.class);
        Param limit = Param.integer("limit", 1, AuditQuery.MAX_LIMIT, "lines per page (default " + DEFAULT_LIMIT + ")");
        Param cursor = Param.text("cursor", "next_cursor of the page before");
        return List.of(
                Route.get(AUDIT, Role.VIEWER, "Finished deletions, newest first, a page at a time: task, run, since "
                                + "(ISO-8601 UTC or epoch seconds) and who (the actor) narrow them",
                        List.of(Param.id("task", "only lines of this task"), Param.id("run", "only deletions this cleanup "
                                + "run made"), Param.text("since", "only lines from this time on"),
                                Param.text("who", "only deletions this actor asked for"), limit, cursor),
                        page, this::audit),
                Route.get(RUNS + "/{id}", Role.VIEWER, "One Cleanup Service run's report: trigger, who, settings, totals "
                        + "and its first lines", List.of(), Route.Response.json(CleanupRun.class), c -> run(c.id("id"))),
                Route.get(RUNS + "/{id}/deleted", Role.VIEWER, "Every task a Cleanup Service run deleted, from the audit "
                        + "trail, a page at a time", List.of(limit, cursor), page, c -> {
                            run(c.id("id"));
                            return reclaim.audit().deletedBy(c.id("id"), cursor(c),
                                    c.integer("limit", DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT));
                        }));
    }

    private Object audit(Call c) {
        String since = c.one("since");
        Instant from;
        try {
            from = since == null ? null : TimeCondition.parseInstant("since", since.trim());
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException("since: '" + since + "' is out of range");
        }
        return reclaim.audit().lines(new AuditQuery(ids(c, "task"), ids(c, "run"), from, c.one("who"), cursor(c),
                c.integer("limit", DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT)));
    }

    private CleanupRun run(String id) {
        return reclaim.audit().run(id).orElseThrow(() -> ApiException.notFound("there is no cleanup run " + id
                + "; GET " + ReclaimServer.API + "/cleanup/history lists the runs"));
    }

    private static String ids(Call c, String name) {
        String v = c.one(name);
        if (v != null && !Ids.looksValid(v)) {
            throw ApiException.badRequest(name + " '" + v + "' is not a Reclaim id (28 lowercase hex digits)");
        }
        return v;
    }

    private static String cursor(Call c) {
        String v = c.one("cursor");
        if (v != null) {
            try {
                AuditQuery.position(v);
            } catch (InvalidArgumentException e) {
                throw ApiException.badRequest("cursor '" + v + "' is not one this route gave: pass next_cursor of the "
                        + "page before");
            }
        }
        return v;
    }
}
