package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.store.ApiToken;
import dev.reclaim.tokens.ApiTokens;
import dev.reclaim.tokens.Role;
import dev.reclaim.worker.WorkerPool;
import dev.reclaim.worker.WorkerSettings;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Reclaim HTTP server: the JSON API under {@value #API}, {@code /health}, {@code /metrics}
 * (Prometheus), {@code /openapi.json}, and static files from the classpath folder {@code /web} at
 * {@code /}. The process also runs workers on the default queue and, when enabled, the Cleanup
 * Service on its period.
 *
 * <p>Every route is one row of a table ({@link Route}): method, path, least role, summary and
 * handler. Javalin registration and the OpenAPI document are both generated from it.
 *
 * <p>Authentication: bearer tokens ({@link ApiTokens}) with roles. When the server listens on
 * loopback and no token exists, every request is allowed as admin (a development convenience; a
 * warning says so at start). Listening elsewhere without a token is refused at start.
 *
 * <pre>{@code
 * PrometheusMeterRegistry meters = ReclaimServer.newMeterRegistry();
 * try (Reclaim r = Reclaim.builder()...meterRegistry(meters).build();
 *      ReclaimServer s = new ReclaimServer(r, ServerSettings.defaults()).start()) {
 *     ...
 * }
 * }</pre>
 */
public final class ReclaimServer implements AutoCloseable {
    /** Prefix of the JSON API. */
    public static final String API = "/api/v1";
    /** API version reported in the OpenAPI document. */
    public static final String VERSION = "0.1.0";
    /**
     * How long stopping may take beyond the shutdown grace: interrupting what still runs, requeueing
     * jobs and closing the listener.
     */
    public static final Duration STOP_ALLOWANCE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ReclaimServer.class);
    /** Classpath folder of the web UI's files, served at {@code /}. */
    private static final String UI_FOLDER = "/web";

    private final Reclaim reclaim;
    private final ServerSettings settings;
    private final PrometheusMeterRegistry meters;
    /** One timer per route and status, registered on first use instead of looked up per request. */
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private final ApiTokens tokens;
    private final CleanupSettingsSource cleanupSettings;
    private final ServerMeters serverMeters;
    private final List<Route> routes;
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private final CleanupLoop cleanupLoop;
    private Javalin app;
    private WorkerPool workers;
    private boolean bindLoopback;
    private volatile List<String> hostNames = List.of();

    /**
     * A server over {@code reclaim} with the Cleanup Service settings it finds in the store (or the
     * defaults). Nothing listens until {@link #start()}.
     *
     * @throws IllegalArgumentException when {@code reclaim} was not built with a registry from {@link #newMeterRegistry()}
     */
    public ReclaimServer(Reclaim reclaim, ServerSettings settings) {
        this(reclaim, settings, CleanupSettings.defaults());
    }

    /**
     * A server whose Cleanup Service settings start from {@code initialCleanup} when the store has
     * no Cleanup Service task to keep them in (e.g. settings layered from a config file).
     */
    public ReclaimServer(Reclaim reclaim, ServerSettings settings, CleanupSettings initialCleanup) {
        this.reclaim = Objects.requireNonNull(reclaim, "reclaim");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (!(reclaim.meterRegistry() instanceof PrometheusMeterRegistry p)) {
            throw new IllegalArgumentException("build the Reclaim instance with meterRegistry(ReclaimServer.newMeterRegistry()) "
                    + "so /metrics can expose its meters");
        }
        this.meters = p;
        this.tokens = reclaim.tokens();
        this.cleanupSettings = CleanupSettingsSource.find(reclaim, Objects.requireNonNull(initialCleanup, "initialCleanup"));
        this.cleanupLoop = new CleanupLoop(reclaim, cleanupSettings);
        this.serverMeters = new ServerMeters(reclaim, meters, cleanupSettings);
        this.bindLoopback = settings.bindsLoopback();
        this.routes = routeTable();
    }

    /** A registry for {@link Reclaim.Builder#meterRegistry}: the server scrapes it at {@code /metrics}. */
    public static PrometheusMeterRegistry newMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    private void refreshMeters() {
        serverMeters.refreshIfStale();
    }

    private List<Route> routeTable() {
        List<Route> all = new ArrayList<>(new SystemRoutes(reclaim, meters, this::openApi, this::refreshMeters).routes());
        all.addAll(new JobRoutes(reclaim, settings).routes());
        all.addAll(new TaskRoutes(reclaim, cleanupSettings).routes());
        all.addAll(new BulkRoutes(reclaim, settings).routes());
        all.addAll(new CleanupRoutes(reclaim, cleanupSettings).routes());
        all.addAll(new TokenRoutes(tokens).routes());
        all.addAll(new AuditRoutes(reclaim).routes());
        all.addAll(new UsageRoutes(reclaim).routes());
        all.addAll(new HoldRoutes(reclaim).routes());
        return List.copyOf(all);
    }

    /** Starts listening on the configured port and address. */
    public ReclaimServer start() {
        return start(settings.port(), settings.bind());
    }

    /**
     * Starts listening: workers first, then HTTP, then the Cleanup Service when enabled.
     *
     * @param port 0 picks a free port ({@link #port()} tells which)
     * @param bind address to listen on
     * @throws InvalidArgumentException when {@code bind} is not loopback and no API token exists
     *                                  (the message says how to create one)
     * @throws IllegalStateException    when already started
     */
    public synchronized ReclaimServer start(int port, String bind) {
        if (app != null) {
            throw new IllegalStateException("the server is already started on port " + port());
        }
        ServerSettings effective = ServerSettings.builder().port(port).bind(bind).build();
        bindLoopback = effective.bindsLoopback();
        if (!bindLoopback && !tokens.anyActive()) {
            throw new InvalidArgumentException("refusing to listen on " + bind + " without an API token: anyone who can "
                    + "reach it would be admin. Create one first with: reclaim tokens create --name NAME --role admin "
                    + "(then send it as 'Authorization: Bearer TOKEN'), or listen on 127.0.0.1");
        }
        if (openAccess()) {
            LOG.warn("no API token exists: every request from this machine is allowed as admin. "
                    + "Create a token (reclaim tokens create --name NAME --role admin) to require authentication.");
        }
        if (settings.workerSlots() > 0) {
            WorkerSettings w = reclaim.workerSettings();
            // Running jobs get the server's grace when it stops, like requests in flight.
            workers = reclaim.startWorkers(new WorkerSettings(settings.workerSlots(), Set.of(ComputeContext.DEFAULT_QUEUE),
                    w.heartbeatInterval(), w.leaseTimeout(), w.pollInterval(), settings.shutdownGrace()));
        }
        List<Pattern> byteRoutes = routes.stream().filter(Route::streamsBody)
                .map(r -> Pattern.compile(Pattern.quote(r.method() + " ") + r.path().replaceAll("\\{[a-z_]+}", "[^/]+"))).toList();
        TrustBoundary boundary = TrustBoundary.of(settings, effective.bind(), ReclaimServer::isUiFile)
                .acceptingBytes(request -> byteRoutes.stream().anyMatch(p -> p.matcher(request).matches()));
        hostNames = boundary.hosts();
        AllowedMethods allowed = new AllowedMethods(routes);
        try {
            app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.http.maxRequestSize = settings.maxBodyBytes();
                cfg.jetty.modifyServer(server -> {
                    // Javalin puts its servlet context inside the innermost wrapper: boundary, then graceful stop.
                    server.setHandler(new BoundaryHandler(boundary, meters, new GracefulHandler()));
                    server.setErrorHandler(new JsonErrorHandler());
                    server.setStopTimeout(Math.max(1, settings.shutdownGrace().toMillis()));
                    if (server.getThreadPool() instanceof QueuedThreadPool pool) {
                        // After the grace, threads still busy are interrupted; one that ignores it is left behind.
                        pool.setStopTimeout(STOP_ALLOWANCE.toMillis() / 2);
                    }
                });
                cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
                cfg.staticFiles.add(sf -> {
                    sf.hostedPath = "/";
                    sf.directory = UI_FOLDER;
                    sf.location = Location.CLASSPATH;
                });
                cfg.events.handlerAdded(info -> {
                    if (info.getHttpMethod().isHttpMethod()) {
                        registered.add(info.getHttpMethod().name() + " " + info.getPath());
                    }
                });
                for (Route r : routes) {
                    cfg.routes.addHttpHandler(HandlerType.findOrCreate(r.method()), r.path(), ctx -> handle(r, ctx));
                }
                cfg.routes.error(404, ctx -> {
                    // Javalin answers unknown routes in plain text; every error of this API is JSON.
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith("application/json")) {
                        List<String> methods = allowed.of(ctx.path());
                        if (!methods.isEmpty()) {
                            ctx.header("Allow", String.join(", ", methods));
                            json(ctx, 405, Errors.body(new ApiException(405, Errors.METHOD_NOT_ALLOWED, ctx.method().name() + " "
                                    + ctx.path() + " is not allowed; this path takes " + String.join(", ", methods))));
                        } else {
                            json(ctx, 404, Errors.body(ApiException.notFound("no route " + ctx.method().name() + " " + ctx.path()
                                    + "; the routes are listed at /openapi.json")));
                        }
                    }
                });
            }).start(effective.bind(), effective.port());
            // after start: Javalin adds its connectors when it starts
            ServerMeters.bindJetty(app.jettyServer().server(), meters);
        } catch (RuntimeException e) {
            stopWorkers();
            app = null;
            throw e;
        }
        if (settings.cleanupService()) {
            cleanupLoop.start();
        }
        return this;
    }

    /**
     * True for {@code /} and the paths of the web UI's files (classpath folder {@code /web}), the only
     * targets a link on another site may open. {@code path} is decoded and normalized (no {@code ..}).
     */
    static boolean isUiFile(String path) {
        if (path.equals("/")) {
            return true;
        }
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("//") || path.contains("\\")) {
            return false;
        }
        return ReclaimServer.class.getResource(UI_FOLDER + path) != null;
    }

    /** The port the server listens on. */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the server is not started");
        }
        return app.port();
    }

    /** The URL of the server, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        return "http://" + host + ":" + port() + "/";
    }

    /**
     * True when requests need no token (loopback and no live token); checked per request, with the
     * token count read at most a second ago ({@link ApiTokens#anyActiveRecently()}).
     */
    public boolean openAccess() {
        return bindLoopback && !tokens.anyActiveRecently();
    }

    /**
     * The host names the server answers to (a request naming another is refused with 421): the bind
     * address, the loopback names on loopback, the public URL's host and the allowed hosts.
     */
    public List<String> hostNames() {
        return hostNames;
    }

    /** The token manager of this server's store. */
    public ApiTokens tokens() {
        return tokens;
    }

    /**
     * Stops within the shutdown grace plus {@link #STOP_ALLOWANCE}, however busy the server is: the
     * listener closes at once; requests in flight, running jobs (then requeued) and the Cleanup
     * Service's current batch get the grace to finish; what still runs is then interrupted (Jetty's
     * threads, job processes) or left to the process's end (a thread that ignores interrupts, a batch
     * that resumes on the next run), and this method returns.
     */
    public synchronized void stop() {
        serverMeters.close();
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos() + STOP_ALLOWANCE.toNanos();
        cleanupLoop.requestStop();
        WorkerPool pool = workers;
        workers = null;
        Thread workersStop = pool == null ? null : background("reclaim-workers-stop", () -> reclaim.stopWorkers(pool));
        Javalin http = app;
        app = null;
        Thread httpStop = http == null ? null : background("reclaim-http-stop", () -> {
            try {
                http.stop();
            } catch (RuntimeException e) {
                // Jetty reports requests still running after the grace this way; they were cut off.
                LOG.warn("HTTP requests still running after the shutdown grace of {} were cut off", settings.shutdownGrace());
            }
        });
        List<String> late = new ArrayList<>();
        if (!await(httpStop, deadline)) {
            late.add("HTTP requests");
        }
        if (!cleanupLoop.awaitStop(Math.max(0, deadline - System.nanoTime()))) {
            late.add("the Cleanup Service's batch (it resumes on the next run)");
        }
        if (!await(workersStop, deadline)) {
            late.add("jobs of this process's workers (their leases run out and they show UNDETERMINED)");
        }
        if (!late.isEmpty()) {
            LOG.warn("stopped without waiting longer for: {}", String.join("; ", late));
        }
    }

    private static Thread background(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Joins {@code t} until {@code deadline} (System.nanoTime); true when it ended. */
    private static boolean await(Thread t, long deadline) {
        if (t == null) {
            return true;
        }
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private void stopWorkers() {
        if (workers != null) {
            reclaim.stopWorkers(workers);
            workers = null;
        }
    }

    /** Same as {@link #stop()}; the Reclaim instance stays open (its owner closes it). */
    @Override
    public void close() {
        stop();
    }

    /** The route table (tests check it against the OpenAPI document and Javalin's registrations). */
    List<Route> routes() {
        return routes;
    }

    /** {@code METHOD path} of every HTTP handler Javalin registered. */
    List<String> registeredRoutes() {
        return List.copyOf(registered);
    }

    /** True while the Cleanup Service runs in the background. */
    boolean cleanupServiceRunning() {
        return cleanupLoop.running();
    }

    Map<String, Object> openApi() {
        return OpenApi.document(routes, VERSION);
    }

    private void handle(Route r, Context ctx) {
        long start = System.nanoTime();
        try {
            ApiToken token = authorize(r, ctx);
            for (String q : ctx.queryParamMap().keySet()) {
                if (!r.queryParams().contains(q)) {
                    throw ApiException.badRequest("unknown query parameter '" + q + "'"
                            + (r.queryParams().isEmpty() ? "; this route takes none" : "; known: " + String.join(", ", r.queryParams())));
                }
            }
            Object out = r.action().handle(new Call(ctx, token, r.body()));
            // tests run with assertions on: an answer that is not what the route table declares fails them
            assert r.response().admits(out) : r.key() + " answered " + (out == null ? null : out.getClass())
                    + ", not the declared " + r.response();
            if (out instanceof Route.Reply reply) {
                json(ctx, reply.status(), reply.body());
            } else if (out != null) {
                json(ctx, 200, out);
            }
        } catch (Exception e) {
            ApiException a = Errors.map(e, r.key());
            if (a.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"reclaim\"");
            }
            a.headers().forEach(ctx::header);
            json(ctx, a.status(), Errors.body(a));
        } finally {
            int status = ctx.statusCode();
            requestTimers.computeIfAbsent(r.key() + " " + status, k -> Timer.builder("reclaim.http.requests")
                            .description("HTTP requests by route and status").tag("method", r.method()).tag("route", r.path())
                            .tag("status", String.valueOf(status)).register(meters))
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The token the request proves, or null when the route is public or access is open. */
    private ApiToken authorize(Route r, Context ctx) {
        if (r.role() == null || openAccess()) {
            return null;
        }
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, Errors.UNAUTHORIZED, "this route needs a token: send 'Authorization: Bearer TOKEN' "
                    + "(an admin creates one with: reclaim tokens create --name NAME --role " + r.role().apiName() + ")");
        }
        ApiToken t = tokens.authenticate(h.substring(7).trim()).orElseThrow(() -> new ApiException(401, Errors.UNAUTHORIZED,
                "the token is unknown, wrong or revoked; ask an admin for a valid one"));
        Role role;
        try {
            role = Role.parse(t.role());
        } catch (InvalidArgumentException e) {
            throw new ApiException(401, Errors.UNAUTHORIZED, "token '" + t.name() + "' has no usable role; ask an admin to recreate it");
        }
        if (!role.includes(r.role())) {
            throw new ApiException(403, Errors.FORBIDDEN, r.key() + " needs role " + r.role().apiName() + "; token '"
                    + t.name() + "' has role " + role.apiName());
        }
        return t;
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(HttpJson.write(body));
    }
}
