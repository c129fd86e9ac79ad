package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.tokens.Role;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /health}, {@code /metrics} and {@code /openapi.json}. */
final class SystemRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SystemRoutes.class);

    private final Reclaim reclaim;
    private final PrometheusMeterRegistry meters;
    private final Supplier<Map<String, Object>> openApi;

    SystemRoutes(Reclaim reclaim, PrometheusMeterRegistry meters, Supplier<Map<String, Object>> openApi) {
        this.reclaim = reclaim;
        this.meters = meters;
        this.openApi = openApi;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/health", null, "Liveness and store reachability (no token needed)", List.of(), c -> {
                    try {
                        reclaim.tasks().find(ServiceTask.ID); // a read the task store must answer
                    } catch (RuntimeException e) {
                        LOG.warn("health check: the task store is not reachable", e);
                        throw new ApiException(503, Errors.UNAVAILABLE, "the task store is not reachable; see the server log");
                    }
                    return Map.of("status", "ok", "store", "reachable");
                }),
                Route.get("/metrics", Role.VIEWER, "Prometheus metrics (reclaim_*)", List.of(), c -> {
                    c.ctx().contentType("text/plain; version=0.0.4; charset=utf-8");
                    c.ctx().result(meters.scrape());
                    return null;
                }),
                Route.get("/openapi.json", null, "This API as an OpenAPI 3 document", List.of(), c -> openApi.get()));
    }
}
