package dev.reclaim.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.reclaim.Reclaim;
import dev.reclaim.holds.Holds;
import dev.reclaim.tasks.ArtifactDeleteResult;
import dev.reclaim.tokens.Role;

import java.util.List;
import java.util.Map;

/**
 * Holds ({@code /tasks/{id}/hold}, {@code /tasks/{id}/artifacts/{artifact_id}/hold}, {@code GET
 * /holds}) and the deletion of single artifacts ({@code DELETE /tasks/{id}/artifacts/{artifact_id}}).
 */
final class HoldRoutes {
    private static final String TASKS = ReclaimServer.API + "/tasks";
    private final Reclaim reclaim;

    HoldRoutes(Reclaim reclaim) {
        this.reclaim = reclaim;
    }

    /** Body of a hold or release: why, for the audit trail (optional). */
    record HoldBody(String reason) {
        static final HoldBody NONE = new HoldBody(null);
    }

    /**
     * Answer of a hold or release.
     *
     * @param changed false when it already was held (or, for a release, was not)
     */
    record HoldAnswer(@JsonProperty(required = true) String id, @JsonProperty(required = true) boolean held,
                      @JsonProperty(required = true) boolean changed) {
    }

    List<Route> routes() {
        Route.Response answer = Route.Response.json(HoldAnswer.class);
        return List.of(
                Route.get(ReclaimServer.API + "/holds", Role.VIEWER, "Every hold, oldest first, a page at a time: tasks and "
                                + "artifacts, with who held each, when and why",
                        List.of(Param.integer("limit", 1, Holds.MAX_PAGE, "holds per page (default 100)"),
                                Param.text("cursor", "next_cursor of the page before")),
                        Route.Response.json(Holds.Page.class),
                        c -> reclaim.holds().list(c.one("cursor"), c.integer("limit", 100, 1, Holds.MAX_PAGE))),
                Route.post(TASKS + "/{id}/hold", Role.OPERATOR, "Put a task on hold: no Cleanup Service run, no rule and "
                        + "no delete without force deletes it or what it holds", List.of(), HoldBody.class, answer,
                        c -> {
                            String id = c.id("id");
                            return new HoldAnswer(id, true, reclaim.holds().holdTask(id, reason(c)));
                        }).optionalBody(),
                Route.delete(TASKS + "/{id}/hold", Role.OPERATOR, "Take a task off hold (its artifacts' holds stay)",
                        List.of(Param.text("reason", "why, for the audit trail")), answer, c -> {
                            String id = c.id("id");
                            return new HoldAnswer(id, false, reclaim.holds().releaseTask(id, c.one("reason")));
                        }),
                Route.post(TASKS + "/{id}/artifacts/{artifact_id}/hold", Role.OPERATOR, "Put an artifact of the task on "
                        + "hold", List.of(), HoldBody.class, answer, c -> {
                            String artifact = c.id("artifact_id");
                            return new HoldAnswer(artifact, true, reclaim.holds().holdArtifact(c.id("id"), artifact, reason(c)));
                        }).optionalBody(),
                Route.delete(TASKS + "/{id}/artifacts/{artifact_id}/hold", Role.OPERATOR, "Take an artifact off hold",
                        List.of(Param.text("reason", "why, for the audit trail")), answer, c -> {
                            String artifact = c.id("artifact_id");
                            return new HoldAnswer(artifact, false, reclaim.holds().releaseArtifact(artifact, c.one("reason")));
                        }),
                Route.delete(TASKS + "/{id}/artifacts/{artifact_id}", Role.OPERATOR, "Delete one artifact of the task, the "
                                + "task staying (409 when it needs force: a published model, a model in use, a hold)",
                        List.of(Param.flag("force", "release holds; keep published models and models in use, detached"),
                                Param.flag("dry_run", "say what would be deleted and change nothing")),
                        Route.Response.json(ArtifactDeleteResult.class), this::deleteArtifact));
    }

    private static String reason(Call c) {
        return c.bodyOr(HoldBody.class, HoldBody.NONE).reason();
    }

    private Object deleteArtifact(Call c) {
        String id = c.id("id");
        ArtifactDeleteResult r = reclaim.artifactDeletions().delete(id, List.of(c.id("artifact_id")), c.bool("force", false),
                c.bool("dry_run", false));
        if (r.deleted()) {
            return r;
        }
        if (r.needsForce()) {
            throw new ApiException(409, Errors.NEEDS_FORCE, r.error() + " (add ?force=true)", Map.of("result", r));
        }
        throw new ApiException(409, "incomplete", r.error(), Map.of("result", r));
    }
}
