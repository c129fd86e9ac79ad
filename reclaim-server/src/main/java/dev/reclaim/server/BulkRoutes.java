package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.ReclaimException;
import dev.reclaim.RefusedException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Ids;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tasks.AddedArtifact;
import dev.reclaim.tasks.BatchItemException;
import dev.reclaim.tasks.NewReference;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.tasks.StoreRefs;
import dev.reclaim.tasks.Tasks;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bulk writes over HTTP (operator): many tasks or many registrations in one request, all or
 * nothing; a streamed artifact upload with a size limit and an optional checksum; metrics on an
 * artifact. Every item is checked before anything changes, and an error changes nothing.
 */
final class BulkRoutes {
    private static final String BASE = ReclaimServer.API + "/tasks";
    /** Header of an upload naming the SHA-256 of its body (64 hex digits). */
    static final String CHECKSUM_HEADER = "X-Checksum-Sha256";
    /** Error code of an upload whose body has another SHA-256 than announced. */
    static final String CHECKSUM_MISMATCH = "checksum_mismatch";
    /** Folder of the staging root where upload bodies are copied before they are stored. */
    private static final String UPLOADS = "uploads";

    private final Reclaim reclaim;
    private final ServerSettings settings;

    BulkRoutes(Reclaim reclaim, ServerSettings settings) {
        this.reclaim = reclaim;
        this.settings = settings;
    }

    /** Body of {@code POST /tasks/batch}: the tasks to create, each as {@code POST /tasks} takes one. */
    record TaskBatchBody(@JsonProperty(required = true) List<TaskRoutes.CreateBody> tasks) {
    }

    /** Answer of {@code POST /tasks/batch}: the new tasks' ids, in the order given. */
    record TaskBatchCreated(@JsonProperty(required = true) List<String> ids) {
    }

    /**
     * One object to register in place.
     *
     * @param taskId  the task it becomes an artifact of
     * @param ref     where it is: {@code s3://BUCKET/KEY}, an absolute path or {@code file:///PATH} inside one
     *                of the server's artifact stores (as {@code reclaim tasks artifacts add --ref} takes)
     * @param kind    model, artifact, debug_sample, log or result
     * @param name    its name in the task
     * @param metrics numeric metrics to record with it
     * @param replace supersede the artifact of this kind and name the task has
     */
    record ArtifactRefBody(@JsonProperty(required = true) String taskId, @JsonProperty(required = true) String ref,
                           @JsonProperty(required = true) String kind, @JsonProperty(required = true) String name,
                           Map<String, Double> metrics, Boolean replace) {
    }

    /** Body of {@code POST /tasks/artifacts/batch}. */
    record ArtifactBatchBody(@JsonProperty(required = true) List<ArtifactRefBody> artifacts) {
    }

    /** Answer of {@code POST /tasks/artifacts/batch}: the registered artifacts, in the order given. */
    record ArtifactBatchRegistered(@JsonProperty(required = true) List<TaskRoutes.TaskArtifact> artifacts,
                                   @JsonProperty(required = true)
                                   @JsonPropertyDescription("ids of the artifacts replace superseded (deleted)")
                                   List<String> superseded) {
    }

    /** Body of {@code POST /tasks/{id}/artifacts/{artifact_id}/metrics}: metrics to merge in. */
    record MetricsBody(@JsonProperty(required = true) Map<String, Double> metrics) {
    }

    /** An artifact's metrics after a change. */
    record ArtifactMetrics(@JsonProperty(required = true) String id,
                           @JsonProperty(required = true) Map<String, Double> metrics) {
    }

    List<Route> routes() {
        return List.of(
                Route.post(BASE + "/batch", Role.OPERATOR, "Create up to " + Tasks.MAX_BATCH + " tasks, all or none "
                        + "(400 names the first bad item)", List.of(), TaskBatchBody.class,
                        Route.Response.created(TaskBatchCreated.class), this::createAll),
                Route.post(BASE + "/artifacts/batch", Role.OPERATOR, "Register up to " + Tasks.MAX_BATCH + " objects in "
                        + "place as artifacts (by ref), with optional metrics, all or none", List.of(),
                        ArtifactBatchBody.class, Route.Response.created(ArtifactBatchRegistered.class), this::registerAll),
                new Route("PUT", BASE + "/{id}/artifacts", Role.OPERATOR, "Upload an artifact: the body's bytes, "
                        + "streamed (Content-Type: application/octet-stream), at most the server's upload limit (413); "
                        + "optional " + CHECKSUM_HEADER + " header, checked (422 on a mismatch, nothing stored)",
                        List.of(Param.oneOf("kind", List.of("model", "artifact", "debug_sample", "log", "result"),
                                        "the artifact's kind"),
                                Param.text("name", "the artifact's name (a relative path)"),
                                Param.flag("replace", "supersede the artifact of this kind and name")),
                        Route.STREAM, true, Route.Response.created(TaskRoutes.TaskArtifact.class), this::upload),
                Route.post(BASE + "/{id}/artifacts/{artifact_id}/metrics", Role.OPERATOR, "Merge numeric metrics into "
                        + "a live artifact's (a name it has takes the new value)", List.of(), MetricsBody.class,
                        Route.Response.json(ArtifactMetrics.class), this::setMetrics));
    }

    private Object createAll(Call c) {
        TaskBatchBody b = c.bodyUpTo(TaskBatchBody.class, settings.maxBatchBodyBytes());
        List<TaskRoutes.CreateBody> items = checkSize(b.tasks(), "tasks");
        List<NewTask> specs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            TaskRoutes.CreateBody t = items.get(i);
            try {
                if (t == null) {
                    throw new InvalidArgumentException("null is no task; give an object like {\"name\": \"exp-1\"}");
                }
                specs.add(new NewTask(t.name(), t.project(), t.type(), t.status() == null ? null : TaskStatus.parse(t.status()),
                        t.tags(), t.parent(), t.params()));
            } catch (ReclaimException e) {
                throw itemError("tasks", i, e);
            }
        }
        try {
            return new Route.Reply(201, new TaskBatchCreated(reclaim.tasks().createAll(specs)));
        } catch (BatchItemException e) {
            throw itemError("tasks", e.index(), (ReclaimException) e.getCause());
        }
    }

    private Object registerAll(Call c) {
        ArtifactBatchBody b = c.bodyUpTo(ArtifactBatchBody.class, settings.maxBatchBodyBytes());
        List<ArtifactRefBody> items = checkSize(b.artifacts(), "artifacts");
        Map<String, String> locations = reclaim.storeLocations();
        List<NewReference> refs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            ArtifactRefBody r = items.get(i);
            try {
                if (r == null) {
                    throw new InvalidArgumentException("null is no artifact; give an object with task_id, ref, kind and name");
                }
                if (r.taskId() == null || r.ref() == null || r.kind() == null || r.name() == null) {
                    throw new InvalidArgumentException("task_id, ref, kind and name are required");
                }
                if (!Ids.looksValid(r.taskId())) {
                    throw new InvalidArgumentException("task_id '" + r.taskId() + "' is not a Reclaim id (28 lowercase hex digits)");
                }
                StoreRefs.Ref at = StoreRefs.resolve(r.ref(), locations, null);
                refs.add(new NewReference(r.taskId(), ArtifactKind.parse(r.kind()), r.name(), at.store(), at.key(),
                        r.metrics(), Boolean.TRUE.equals(r.replace())));
            } catch (ReclaimException e) {
                throw itemError("artifacts", i, e);
            }
        }
        List<AddedArtifact> added;
        try {
            added = reclaim.tasks().registerArtifacts(refs);
        } catch (BatchItemException e) {
            throw itemError("artifacts", e.index(), (ReclaimException) e.getCause());
        }
        Map<String, Map<String, Double>> metrics = reclaim.tasks().metricsOf(added.stream().map(a -> a.artifact().id()).toList());
        return new Route.Reply(201, new ArtifactBatchRegistered(
                added.stream().map(a -> TaskRoutes.TaskArtifact.of(a.artifact(), metrics.get(a.artifact().id()))).toList(),
                added.stream().flatMap(a -> a.superseded().stream()).map(Artifact::id).toList()));
    }

    private Object upload(Call c) {
        String id = c.id("id");
        String kindText = c.one("kind");
        String name = c.one("name");
        if (kindText == null || name == null) {
            throw ApiException.badRequest("kind and name are required: PUT " + BASE + "/" + id
                    + "/artifacts?kind=model&name=epoch-1.ckpt with the bytes as the body");
        }
        ArtifactKind kind = ArtifactKind.parse(kindText);
        boolean replace = c.bool("replace", false);
        String expected = UploadSpool.checksum(c.ctx().header(CHECKSUM_HEADER));
        long declared = c.ctx().req().getContentLengthLong();
        if (declared > settings.maxUploadBytes()) {
            throw new ApiException(413, Errors.TOO_LARGE, "the upload is " + declared + " bytes; the server accepts at most "
                    + settings.maxUploadBytes() + " bytes; nothing was stored. Register a large object in place instead "
                    + "(POST " + BASE + "/artifacts/batch), or ask for a larger limit");
        }
        reclaim.tasks().get(id); // 404 before the body is read
        try (InputStream in = c.ctx().req().getInputStream();
             UploadSpool spool = UploadSpool.copy(in, reclaim.stagingRoot().resolve(UPLOADS), settings.maxUploadBytes(),
                     expected)) {
            AddedArtifact added = reclaim.tasks().addArtifact(id, kind, name, spool.file(), replace);
            return new Route.Reply(201, TaskRoutes.TaskArtifact.of(added.artifact()));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the upload: " + e.getMessage());
        }
    }

    private Object setMetrics(Call c) {
        String id = c.id("id");
        String artifactId = c.id("artifact_id");
        MetricsBody b = c.body(MetricsBody.class);
        if (b.metrics() == null || b.metrics().isEmpty()) {
            throw ApiException.badRequest("metrics is required: e.g. {\"metrics\": {\"val_loss\": 0.31}}");
        }
        reclaim.tasks().get(id);
        if (reclaim.tasks().findArtifact(artifactId).filter(a -> id.equals(a.taskId())).isEmpty()) {
            throw ApiException.notFound("task " + id + " has no artifact " + artifactId);
        }
        return new ArtifactMetrics(artifactId, reclaim.tasks().setArtifactMetrics(id, artifactId, b.metrics()));
    }

    private static <T> List<T> checkSize(List<T> items, String field) {
        if (items == null || items.isEmpty()) {
            throw ApiException.badRequest(field + " is required: a list of 1 to " + Tasks.MAX_BATCH + " items");
        }
        if (items.size() > Tasks.MAX_BATCH) {
            throw ApiException.badRequest(field + " holds " + items.size() + " items; a batch holds at most "
                    + Tasks.MAX_BATCH + ": split it into several requests (nothing was changed)");
        }
        return items;
    }

    /** 400 (409 for a refusal by a rule) naming the item; nothing of the batch was done. */
    private static ApiException itemError(String field, int index, ReclaimException cause) {
        int status = cause instanceof RefusedException ? 409 : 400;
        return new ApiException(status, status == 409 ? Errors.CONFLICT : Errors.BAD_REQUEST, field + "[" + index + "]: "
                + cause.getMessage() + "; nothing of the batch was done: fix it and send the whole batch again",
                Map.of("index", index));
    }
}
