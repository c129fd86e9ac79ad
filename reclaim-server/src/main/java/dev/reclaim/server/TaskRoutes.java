package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.TaskNotFoundException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskQueryParams;
import dev.reclaim.query.TaskSummary;
import dev.reclaim.tasks.ArchiveResult;
import dev.reclaim.tasks.DeleteManyResult;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.tasks.TaskViews;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** {@code /api/v1/tasks}: the task catalog (docs/rules.md section 3) over HTTP. */
final class TaskRoutes {
    private static final String BASE = ReclaimServer.API + "/tasks";

    /** Query flag of {@code GET /tasks}: add each task's live bytes as {@code size_bytes}. */
    static final String SIZES = "sizes";
    /** The filters of the shared task query language, typed: {@code GET /tasks} and {@code /tasks/summary} take them. */
    private static final List<Param> FILTERS = Route.typed(TaskQueryParams.FILTERS,
            List.of(Param.text(TaskQueryParams.ID, "only these task ids").repeated(),
                    Param.text(TaskQueryParams.NAME, "a regular expression the name matches"),
                    Param.text(TaskQueryParams.PROJECT, "project").repeated(),
                    Param.oneOf(TaskQueryParams.STATUS, Arrays.stream(TaskStatus.values())
                            .map(s -> s.name().toLowerCase(Locale.ROOT)).toList(), "status (case-insensitive)").repeated(),
                    Param.text(TaskQueryParams.TYPE, "task type").repeated(),
                    Param.text(TaskQueryParams.OWNER, "owner").repeated(),
                    Param.text(TaskQueryParams.PARENT, "parent task id"),
                    Param.text(TaskQueryParams.TAG, "user tag; a leading - excludes it").repeated(),
                    Param.text(TaskQueryParams.SYSTEM_TAG, "system tag; a leading - excludes it").repeated(),
                    Param.text(TaskQueryParams.STATUS_CHANGED, "condition on the last status change, e.g. "
                            + "<2026-01-01T00:00:00Z (all given must hold)").repeated(),
                    Param.text(TaskQueryParams.ARCHIVED_AT, "condition on the archive time, e.g. <1767225600 "
                            + "(all given must hold)").repeated()));
    /** The query of {@code GET /tasks}: the shared task query language, then this route's own flag. */
    private static final List<Param> QUERY = Route.typed(
            Stream.concat(TaskQueryParams.NAMES.stream(), Stream.of(SIZES)).toList(),
            Stream.concat(FILTERS.stream(), Stream.of(
                    Param.text(TaskQueryParams.FIELDS, "comma-separated fields to show (id is always shown)").repeated(),
                    Param.text(TaskQueryParams.ORDER_BY, "comma-separated sort fields, - for descending (size: bytes "
                            + "of live artifacts)").repeated(),
                    Param.integer(TaskQueryParams.PAGE, 0, Integer.MAX_VALUE, "zero-based page number"),
                    Param.integer(TaskQueryParams.PAGE_SIZE, 1, TaskQuery.MAX_PAGE_SIZE, "tasks per page"),
                    Param.text(TaskQueryParams.CURSOR, "next_cursor of the page before"),
                    Param.flag(SIZES, "add size_bytes (bytes of live artifacts) to each task"))).toList());

    private final Reclaim reclaim;
    private final CleanupSettingsSource cleanupSettings;

    TaskRoutes(Reclaim reclaim, CleanupSettingsSource cleanupSettings) {
        this.reclaim = reclaim;
        this.cleanupSettings = cleanupSettings;
    }

    /** Body of {@code POST /tasks}. */
    record CreateBody(String name, String project, String type, String status, Set<String> tags, String parent,
                      Map<String, String> params) {
    }

    /** Body of {@code POST /tasks/{id}/status}. */
    record StatusBody(String status) {
    }

    /** Body of {@code POST /tasks/archive} and {@code /unarchive}. */
    record IdsBody(List<String> ids) {
    }

    /** Body of {@code POST /tasks/delete}. */
    record DeleteBody(List<String> ids, Boolean force, @JsonProperty("keep_output_models") Boolean keepOutputModels,
                      @JsonProperty("return_file_urls") Boolean returnFileUrls) {
    }

    /** Body of {@code PUT /tasks/{id}/params}. */
    record ParamsBody(Map<String, String> params) {
    }

    /**
     * A task as the API shows it: the map {@link TaskViews#view} builds, one key per
     * {@link TaskField} (its API name), plus {@code size_bytes} when {@code GET /tasks} is asked
     * for sizes. Only the id is always there: a projection ({@code fields}) leaves the others out,
     * and so does a value that is not set. Declared for the OpenAPI document; tests check that its
     * properties are exactly the task fields and that real answers match it.
     */
    record TaskView(@JsonProperty(required = true) String id, String name, String project, String type, String owner,
                    TaskStatus status, List<String> tags, List<String> systemTags, Instant created, Instant started,
                    Instant ended, Instant statusChanged, Instant lastUpdate, Instant archivedAt,
                    Instant resultsRetrievedAt, String parent, List<String> inputModels, String queue, String worker,
                    Integer exitCode, String error, Map<String, String> params,
                    @JsonPropertyDescription("bytes of the task's live artifacts; only with sizes=true") Long sizeBytes) {
    }

    /** Answer of {@code GET /tasks} (a map of this shape): a page of tasks and where the next starts. */
    record TaskPage(@JsonProperty(required = true) List<TaskView> tasks,
                    @JsonPropertyDescription("pass as cursor for the next page; absent on the last page") String nextCursor) {
    }

    /** Answer of {@code POST /tasks/archive} and {@code /unarchive}: what happened to each task. */
    record TaskArchiveResults(@JsonProperty(required = true) List<ArchiveResult> results) {
    }

    /** A task's parameters: answer of {@code GET} and {@code PUT /tasks/{id}/params}. */
    record TaskParams(@JsonProperty(required = true) String id, @JsonProperty(required = true) Map<String, String> params) {
    }

    /**
     * A live artifact as the API shows it, with the link that downloads it.
     *
     * @param download path of {@code GET /tasks/{id}/artifacts/{artifact_id}/content}
     */
    record TaskArtifact(@JsonProperty(required = true) String id, String taskId,
                        @JsonProperty(required = true) ArtifactKind kind, @JsonProperty(required = true) String name,
                        long sizeBytes, @JsonProperty(required = true) Instant createdAt, boolean published,
                        @JsonProperty(required = true) String storageKey,
                        @JsonProperty(required = true) @JsonPropertyDescription("path that downloads it") String download,
                        @JsonPropertyDescription("numeric metrics reported on it (e.g. val_loss); absent when none")
                        Map<String, Double> metrics) {
        static TaskArtifact of(Artifact a) {
            return of(a, Map.of());
        }

        static TaskArtifact of(Artifact a, Map<String, Double> metrics) {
            return new TaskArtifact(a.id(), a.taskId(), a.kind(), a.name(), a.sizeBytes(), a.createdAt(), a.published(),
                    a.storageKey(), BASE + "/" + a.taskId() + "/artifacts/" + a.id() + "/content",
                    metrics == null || metrics.isEmpty() ? null : metrics);
        }
    }

    /** Answer of {@code GET /tasks/{id}/artifacts}: a page of the task's live artifacts. */
    record TaskArtifactPage(@JsonProperty(required = true) String id,
                            @JsonProperty(required = true) List<TaskArtifact> artifacts,
                            @JsonPropertyDescription("pass as cursor for the next page; absent on the last page")
                            String nextCursor) {
    }

    List<Route> routes() {
        List<Param> deleteFlags = List.of(Param.flag("force", "delete even when the task needs force"),
                Param.flag("keep_output_models", "keep the task's output models (detached) instead of deleting them"),
                Param.flag("return_file_urls", "list the storage keys queued for deletion"));
        Route.Response taskView = Route.Response.json(TaskView.class).asMap();
        Route.Response params = Route.Response.json(TaskParams.class);
        return List.of(
                Route.get(BASE, Role.VIEWER, "Query tasks: filters, fields, order_by, page/page_size or cursor; "
                        + "sizes=true adds size_bytes (bytes of live artifacts) to each task", QUERY,
                        Route.Response.json(TaskPage.class).asMap(), this::query),
                // before /{id}: "summary" is not a task id
                Route.get(BASE + "/summary", Role.VIEWER, "Count and live bytes of the tasks a filter matches (the "
                        + "filters of GET /tasks; ordering and paging do not apply)", FILTERS,
                        Route.Response.json(TaskSummary.class), this::summary),
                Route.post(BASE, Role.OPERATOR, "Create a task (a draft unless another status is given)", List.of(),
                        CreateBody.class, Route.Response.created(TaskView.class).asMap(), this::create),
                Route.get(BASE + "/{id}", Role.VIEWER, "One task",
                        List.of(Param.text(TaskQueryParams.FIELDS, "comma-separated fields to show (id is always shown)")),
                        taskView, this::get),
                Route.post(BASE + "/{id}/status", Role.OPERATOR, "Set a task's status (not QUEUED or RUNNING)", List.of(),
                        StatusBody.class, taskView, this::setStatus),
                Route.post(BASE + "/archive", Role.OPERATOR, "Archive tasks (queued ones are dequeued, running ones stopped)",
                        List.of(), IdsBody.class, Route.Response.json(TaskArchiveResults.class),
                        c -> new TaskArchiveResults(reclaim.tasks().archive(ids(c)))),
                Route.post(BASE + "/unarchive", Role.OPERATOR, "Unarchive tasks", List.of(), IdsBody.class,
                        Route.Response.json(TaskArchiveResults.class),
                        c -> new TaskArchiveResults(reclaim.tasks().unarchive(ids(c)))),
                Route.post(BASE + "/{id}/publish", Role.OPERATOR, "Publish a COMPLETED task and its output models",
                        List.of(), null, taskView, c -> view(reclaim.tasks().publish(c.id("id")), List.of())),
                Route.delete(BASE + "/{id}", Role.OPERATOR, "Delete a task (409 when it needs force)", deleteFlags,
                        Route.Response.json(DeleteResult.class), this::deleteOne),
                Route.post(BASE + "/delete", Role.OPERATOR, "Delete many tasks; returns succeeded and failed with reasons",
                        List.of(), DeleteBody.class, Route.Response.json(DeleteManyResult.class), this::deleteMany),
                Route.get(BASE + "/{id}/artifacts", Role.VIEWER, "A task's live artifacts with download links, a page at a "
                        + "time: page_size (at most 500, default 100), cursor (next_cursor of the page before)",
                        List.of(Param.integer(TaskQueryParams.PAGE_SIZE, 1, TaskQuery.MAX_PAGE_SIZE, "artifacts per page"),
                                Param.id(TaskQueryParams.CURSOR, "next_cursor of the page before")),
                        Route.Response.json(TaskArtifactPage.class), this::artifacts),
                Route.get(BASE + "/{id}/artifacts/{artifact_id}/content", Role.VIEWER, "Download an artifact (streamed)",
                        List.of(), Route.Response.BYTES, this::download),
                Route.get(BASE + "/{id}/params", Role.VIEWER, "A task's parameters", List.of(), params,
                        c -> new TaskParams(c.id("id"), reclaim.tasks().get(c.id("id")).params())),
                Route.put(BASE + "/{id}/params", Role.OPERATOR, "Merge parameters into a draft task", ParamsBody.class,
                        params, this::setParams));
    }

    private Object query(Call c) {
        boolean sizes = c.bool(SIZES, false);
        Map<String, List<String>> raw = new LinkedHashMap<>(c.ctx().queryParamMap());
        raw.remove(SIZES); // a presentation flag of this route, not part of the shared query language
        TaskQueryParams.Parsed p = TaskQueryParams.parse(raw, UnaryOperator.identity());
        Page<Task> page = reclaim.tasks().getAll(p.query());
        // One grouped query for the whole page, not one per row.
        Map<String, Long> bytes = sizes ? reclaim.tasks().liveBytesOf(page.items().stream().map(Task::id).toList()) : Map.of();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", page.items().stream().map(t -> {
            Map<String, Object> v = TaskViews.view(t, p.fields());
            if (sizes) {
                v = new LinkedHashMap<>(v);
                v.put("size_bytes", bytes.getOrDefault(t.id(), 0L));
            }
            return v;
        }).toList());
        out.put("next_cursor", page.nextCursor());
        return out;
    }

    private Object summary(Call c) {
        return reclaim.tasks().summarize(TaskQueryParams.parse(c.ctx().queryParamMap(), UnaryOperator.identity()).query());
    }

    private Object create(Call c) {
        CreateBody b = c.body(CreateBody.class);
        NewTask spec = new NewTask(b.name(), b.project(), b.type(), b.status() == null ? null : TaskStatus.parse(b.status()),
                b.tags(), b.parent(), b.params());
        return new Route.Reply(201, view(reclaim.tasks().create(spec), List.of()));
    }

    private Object get(Call c) {
        String id = c.id("id");
        String fields = c.one(TaskQueryParams.FIELDS);
        List<TaskField> only = fields == null ? List.of()
                : TaskQueryParams.parse(Map.of(TaskQueryParams.FIELDS, List.of(fields)), UnaryOperator.identity()).fields();
        return view(reclaim.tasks().get(id), only);
    }

    private Object setStatus(Call c) {
        String id = c.id("id");
        StatusBody b = c.body(StatusBody.class);
        if (b.status() == null) {
            throw ApiException.badRequest("status is required, e.g. {\"status\": \"completed\"}");
        }
        return view(reclaim.tasks().setStatus(id, TaskStatus.parse(b.status())), List.of());
    }

    private static List<String> ids(Call c) {
        IdsBody b = c.body(IdsBody.class);
        return checkIds(b.ids());
    }

    /** Every id is checked before anything happens, so a bad id in a list changes nothing. */
    static List<String> checkIds(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ApiException.badRequest("ids is required: a non-empty list of task ids");
        }
        for (String id : ids) {
            if (!Ids.looksValid(id)) {
                throw ApiException.badRequest("ids: '" + id + "' is not a Reclaim id (28 lowercase hex digits); nothing was changed");
            }
        }
        return ids;
    }

    private Object deleteOne(Call c) {
        String id = c.id("id");
        DeleteOptions o = DeleteOptions.DEFAULTS.forced(c.bool("force", false))
                .deletingOutputModels(!c.bool("keep_output_models", false))
                .listingFileUrls(c.bool("return_file_urls", false));
        if (reclaim.tasks().find(id).isEmpty()) {
            throw new TaskNotFoundException(id);
        }
        DeleteResult r = reclaim.tasks().delete(id, o);
        if (r.deleted()) {
            return r;
        }
        if (r.needsForce()) {
            throw new ApiException(409, Errors.NEEDS_FORCE, r.error() + " (add ?force=true)", Map.of("result", r));
        }
        throw new ApiException(409, "incomplete", r.error(), Map.of("result", r));
    }

    private Object deleteMany(Call c) {
        DeleteBody b = c.body(DeleteBody.class);
        List<String> ids = checkIds(b.ids());
        DeleteOptions o = DeleteOptions.DEFAULTS.forced(Boolean.TRUE.equals(b.force()))
                .deletingOutputModels(!Boolean.TRUE.equals(b.keepOutputModels()))
                .listingFileUrls(Boolean.TRUE.equals(b.returnFileUrls()));
        DeleteManyResult r = reclaim.tasks().deleteMany(ids, o);
        if (r.anyNeedsForce()) {
            DeleteResult first = r.failed().stream().filter(DeleteResult::needsForce).findFirst().orElseThrow();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("succeeded", r.succeeded());
            extra.put("failed", r.failed());
            throw new ApiException(409, Errors.NEEDS_FORCE, first.error() + " (send \"force\": true to delete anyway; "
                    + r.succeeded().size() + " other task(s) were deleted)", extra);
        }
        return r;
    }

    private Object artifacts(Call c) {
        String id = c.id("id");
        int pageSize = c.integer(TaskQueryParams.PAGE_SIZE, TaskQuery.DEFAULT_PAGE_SIZE, 1, TaskQuery.MAX_PAGE_SIZE);
        String after = c.one(TaskQueryParams.CURSOR);
        if (after != null && !Ids.looksValid(after)) {
            throw ApiException.badRequest("cursor '" + after + "' is not one this route gave: pass next_cursor of the page before");
        }
        reclaim.tasks().get(id);
        // one more than the page tells whether another page follows, without a count
        List<Artifact> found = reclaim.tasks().liveArtifacts(id, after, pageSize + 1);
        List<Artifact> page = found.size() > pageSize ? found.subList(0, pageSize) : found;
        Map<String, Map<String, Double>> metrics = reclaim.tasks().metricsOf(page.stream().map(Artifact::id).toList());
        return new TaskArtifactPage(id, page.stream().map(a -> TaskArtifact.of(a, metrics.get(a.id()))).toList(),
                found.size() > pageSize ? page.get(page.size() - 1).id() : null);
    }

    private Object download(Call c) {
        String id = c.id("id");
        String artifactId = c.id("artifact_id");
        reclaim.tasks().get(id);
        Artifact a = reclaim.tasks().findArtifact(artifactId)
                .filter(x -> id.equals(x.taskId()) && x.state() == ArtifactState.LIVE)
                .orElseThrow(() -> ApiException.notFound("task " + id + " has no live artifact " + artifactId));
        InputStream in = reclaim.tasks().open(a);
        String file = a.name().substring(a.name().lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        c.ctx().contentType("application/octet-stream");
        c.ctx().header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        c.ctx().header("Content-Length", String.valueOf(a.sizeBytes()));
        // Sent as stored: Javalin would gzip for a browser (Accept-Encoding: gzip) and overrun the
        // Content-Length above, failing the download; artifacts are mostly incompressible anyway.
        c.ctx().disableCompression();
        c.ctx().result(in); // Javalin streams it and closes it
        return null;
    }

    private Object setParams(Call c) {
        String id = c.id("id");
        ParamsBody b = c.body(ParamsBody.class);
        if (b.params() == null) {
            throw ApiException.badRequest("params is required, e.g. {\"params\": {\"lr\": \"0.1\"}}");
        }
        if (id.equals(cleanupSettings.serviceTaskId())) {
            throw new ApiException(403, Errors.FORBIDDEN, "task " + id + " is the Cleanup Service; its parameters are its "
                    + "settings: change them with PUT " + ReclaimServer.API + "/cleanup/settings (admin)");
        }
        return new TaskParams(id, reclaim.tasks().setParams(id, b.params()).params());
    }

    private static Map<String, Object> view(Task t, List<TaskField> fields) {
        return TaskViews.view(t, fields);
    }
}
