package dev.reclaim.jdbc;

import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.DeletionPreview;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.SimulatedDeletions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@link dev.reclaim.store.TaskStore#previewAllDeletions}, in a transaction the caller rolls back:
 * replay what the dry run's earlier pages did that a mark can see, mark the page with the real
 * {@link DeletionSql#markAll}, and carry forward what later pages can still see.
 *
 * <p>A mark reads other tasks' rows in three places only: the users of a model it keeps or deletes
 * (is each still live?), the artifacts sharing one of its keys (is any still LIVE?), and the models
 * it uses as input (detached, and is it their last live user?). So the replay sets exactly those
 * rows as the run would have left them: the earlier users' {@code deleting_since}, the earlier
 * sharers' state, the earlier detached models' task. It leaves versions and children alone: a
 * child of an earlier candidate is selected by the run after its parent's mark, with the version
 * that mark gave it, and by the dry run with the version it has, which the replay keeps; both
 * marks succeed. Everything else the earlier marks wrote (their own rows, their queue entries)
 * is read by no later mark; whether the run has finished them by then changes no result either.
 */
final class PreviewSql {
    private final DeletionSql deletion;

    PreviewSql(DeletionSql deletion) {
        this.deletion = deletion;
    }

    DeletionPreview preview(Connection c, List<DeletionMark> marks, SimulatedDeletions earlier) throws SQLException {
        replay(c, earlier, marks.get(0).at());
        List<MarkResult> results = deletion.markAll(c, marks);
        return new DeletionPreview(results, carry(c, earlier, marks, results));
    }

    private static void replay(Connection c, SimulatedDeletions earlier, Instant at) throws SQLException {
        for (List<String> chunk : Sql.chunks(earlier.deletedUsers())) {
            List<Object> params = new ArrayList<>(List.of(Sql.ms(at)));
            params.addAll(chunk);
            Sql.update(c, "UPDATE tasks SET deleting_since = ? WHERE deleting_since IS NULL AND id IN ("
                    + Sql.marks(chunk.size()) + ")", params.toArray());
        }
        for (List<String> chunk : Sql.chunks(earlier.detachedModels())) {
            Sql.update(c, "UPDATE artifacts SET task_id = NULL WHERE state = 'LIVE' AND id IN (" + Sql.marks(chunk.size()) + ")",
                    chunk.toArray());
        }
        for (List<String> chunk : Sql.chunks(earlier.deletingArtifacts())) {
            Sql.update(c, "UPDATE artifacts SET state = 'DELETING' WHERE state IN ('LIVE', 'PENDING') AND id IN ("
                    + Sql.marks(chunk.size()) + ")", chunk.toArray());
        }
    }

    /**
     * The earlier marks and this page's, reduced to the rows a later mark can still read (see
     * {@link SimulatedDeletions}), judged on the rows as they now are in this transaction.
     */
    private static SimulatedDeletions carry(Connection c, SimulatedDeletions earlier, List<DeletionMark> marks,
                                            List<MarkResult> results) throws SQLException {
        Set<String> marked = new TreeSet<>();
        Set<String> markedArtifacts = new TreeSet<>();
        Set<String> detached = new TreeSet<>(earlier.detachedModels());
        for (int i = 0; i < marks.size(); i++) {
            if (results.get(i).outcome() == MarkResult.Outcome.MARKED && marks.get(i).wholeTask()) {
                marked.add(marks.get(i).taskId());
                detached.addAll(results.get(i).keptModelIds());
            } else if (results.get(i).outcome() == MarkResult.Outcome.MARKED && marks.get(i).artifactIds() != null) {
                // a retention rule's artifacts: a later mark sharing one of their keys must see them going
                markedArtifacts.addAll(marks.get(i).artifactIds());
                detached.addAll(results.get(i).keptModelIds());
            }
        }
        Set<String> users = new TreeSet<>(earlier.deletedUsers());
        users.addAll(marked);
        // a user matters while a model it uses is live: its owner's mark, or its last user's, asks
        List<String> usersLeft = select(c, users, in -> "SELECT DISTINCT i.task_id FROM task_inputs i JOIN artifacts a "
                + "ON a.id = i.artifact_id WHERE a.state = 'LIVE' AND i.task_id" + in);
        // a marked artifact matters while another artifact with its key is still to be marked
        String shared = " AND a.state = 'DELETING' AND EXISTS (SELECT 1 FROM artifacts b WHERE b.storage_key = "
                + "a.storage_key AND b.state IN ('LIVE', 'PENDING'))";
        List<String> sharers = new ArrayList<>(select(c, earlier.deletingArtifacts(),
                in -> "SELECT a.id FROM artifacts a WHERE a.id" + in + shared));
        sharers.addAll(select(c, marked, in -> "SELECT a.id FROM artifacts a WHERE a.task_id" + in + shared));
        sharers.addAll(select(c, markedArtifacts, in -> "SELECT a.id FROM artifacts a WHERE a.id" + in + shared));
        // a detached model matters while a live task uses it: the mark of the last one deletes it
        List<String> detachedLeft = select(c, detached, in -> "SELECT a.id FROM artifacts a WHERE a.id" + in
                + " AND a.task_id IS NULL AND a.state = 'LIVE' AND a.published = FALSE AND a.kept_on_request = FALSE "
                + "AND EXISTS (SELECT 1 FROM task_inputs i JOIN tasks o ON o.id = i.task_id WHERE i.artifact_id = a.id "
                + "AND o.deleting_since IS NULL)");
        return new SimulatedDeletions(Set.copyOf(usersLeft), Set.copyOf(sharers), Set.copyOf(detachedLeft));
    }

    /** Runs a query a chunk of {@code ids} at a time; {@code sql} gets the {@code IN (...)} to filter by. */
    private static List<String> select(Connection c, Collection<String> ids, Function<String, String> sql)
            throws SQLException {
        List<String> out = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            out.addAll(Sql.list(c, sql.apply(" IN (" + Sql.marks(chunk.size()) + ")"), rs -> rs.getString(1), chunk));
        }
        return out;
    }
}
