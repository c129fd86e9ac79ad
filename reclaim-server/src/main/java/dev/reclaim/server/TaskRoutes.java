package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.TaskNotFoundException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskQueryParams;
import dev.reclaim.tasks.DeleteManyResult;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.tasks.TaskViews;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** {@code /api/v1/tasks}: the task catalog (docs/rules.md section 3) over HTTP. */
final class TaskRoutes {
    private static final String BASE = ReclaimServer.API + "/tasks";

    /** Query flag of {@code GET /tasks}: add each task's live bytes as {@code size_bytes}. */
    static final String SIZES = "sizes";
    private static final List<String> QUERY_PARAMS = Stream.concat(TaskQueryParams.NAMES.stream(),
            Stream.of(SIZES)).toList();

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

    List<Route> routes() {
        List<String> deleteFlags = List.of("force", "keep_output_models", "return_file_urls");
        return List.of(
                Route.get(BASE, Role.VIEWER, "Query tasks: filters, fields, order_by, page/page_size or cursor; "
                        + "sizes=true adds size_bytes (bytes of live artifacts) to each task", QUERY_PARAMS, this::query),
                Route.post(BASE, Role.OPERATOR, "Create a task (a draft unless another status is given)", List.of(),
                        "CreateBody: name, project, type, status, tags[], parent, params{}", this::create),
                Route.get(BASE + "/{id}", Role.VIEWER, "One task", List.of(TaskQueryParams.FIELDS), this::get),
                Route.post(BASE + "/{id}/status", Role.OPERATOR, "Set a task's status (not QUEUED or RUNNING)", List.of(),
                        "StatusBody: status", this::setStatus),
                Route.post(BASE + "/archive", Role.OPERATOR, "Archive tasks (queued ones are dequeued, running ones stopped)",
                        List.of(), "IdsBody: ids[]", c -> Map.of("results", reclaim.tasks().archive(ids(c)))),
                Route.post(BASE + "/unarchive", Role.OPERATOR, "Unarchive tasks", List.of(), "IdsBody: ids[]",
                        c -> Map.of("results", reclaim.tasks().unarchive(ids(c)))),
                Route.post(BASE + "/{id}/publish", Role.OPERATOR, "Publish a COMPLETED task and its output models",
                        List.of(), null, c -> view(reclaim.tasks().publish(c.id("id")), List.of())),
                Route.delete(BASE + "/{id}", Role.OPERATOR, "Delete a task (409 when it needs force)", deleteFlags,
                        this::deleteOne),
                Route.post(BASE + "/delete", Role.OPERATOR, "Delete many tasks; returns succeeded and failed with reasons",
                        List.of(), "DeleteBody: ids[], force, keep_output_models, return_file_urls", this::deleteMany),
                Route.get(BASE + "/{id}/artifacts", Role.VIEWER, "A task's live artifacts with download links, a page at a "
                        + "time: page_size (at most 500, default 100), cursor (next_cursor of the page before)",
                        List.of(TaskQueryParams.PAGE_SIZE, TaskQueryParams.CURSOR), this::artifacts),
                Route.get(BASE + "/{id}/artifacts/{artifact_id}/content", Role.VIEWER, "Download an artifact (streamed)",
                        List.of(), this::download),
                Route.get(BASE + "/{id}/params", Role.VIEWER, "A task's parameters", List.of(),
                        c -> Map.of("id", c.id("id"), "params", reclaim.tasks().get(c.id("id")).params())),
                Route.put(BASE + "/{id}/params", Role.OPERATOR, "Merge parameters into a draft task", "ParamsBody: params{}",
                        this::setParams));
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("artifacts", page.stream().map(TaskRoutes::artifactView).toList());
        out.put("next_cursor", found.size() > pageSize ? page.get(page.size() - 1).id() : null);
        return out;
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
        return Map.of("id", id, "params", reclaim.tasks().setParams(id, b.params()).params());
    }

    private static Map<String, Object> view(Task t, List<TaskField> fields) {
        return TaskViews.view(t, fields);
    }

    /** An artifact as the API shows it, with the link that downloads it. */
    static Map<String, Object> artifactView(Artifact a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("task_id", a.taskId());
        m.put("kind", a.kind().name());
        m.put("name", a.name());
        m.put("size_bytes", a.sizeBytes());
        m.put("created_at", a.createdAt().toString());
        m.put("published", a.published());
        m.put("storage_key", a.storageKey());
        m.put("download", BASE + "/" + a.taskId() + "/artifacts/" + a.id() + "/content");
        return m;
    }
}
