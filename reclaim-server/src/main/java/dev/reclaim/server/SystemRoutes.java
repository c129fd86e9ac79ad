package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
    private final Runnable beforeScrape;

    /** @param beforeScrape brings figures read from the stores up to date before a scrape */
    SystemRoutes(Reclaim reclaim, PrometheusMeterRegistry meters, Supplier<Map<String, Object>> openApi, Runnable beforeScrape) {
        this.reclaim = reclaim;
        this.meters = meters;
        this.openApi = openApi;
        this.beforeScrape = beforeScrape;
    }

    /** Answer of {@code GET /health}. */
    record Health(@JsonProperty(required = true) @JsonPropertyDescription("ok") String status,
                  @JsonProperty(required = true) @JsonPropertyDescription("reachable") String store) {
    }

    List<Route> routes() {
        return List.of(
                Route.get("/health", null, "Liveness and store reachability (no token needed)", List.of(),
                        Route.Response.json(Health.class), c -> {
                    try {
                        reclaim.tasks().find(ServiceTask.ID); // a read the task store must answer
                    } catch (RuntimeException e) {
                        LOG.warn("health check: the task store is not reachable", e);
                        throw new ApiException(503, Errors.UNAVAILABLE, "the task store is not reachable; see the server log");
                    }
                    return new Health("ok", "reachable");
                }),
                Route.get("/metrics", Role.VIEWER, "Prometheus metrics (reclaim_*)", List.of(), Route.Response.TEXT, c -> {
                    beforeScrape.run();
                    c.ctx().contentType("text/plain; version=0.0.4; charset=utf-8");
                    c.ctx().result(meters.scrape());
                    return null;
                }),
                Route.get("/openapi.json", null, "This API as an OpenAPI 3 document", List.of(),
                        Route.Response.json(Map.class), c -> openApi.get()));
    }
}
