package dev.reclaim.store;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the marks a dry run has previewed so far did that its later marks can still see (see
 * {@link TaskStore#previewAllDeletions}). A mark sees other tasks only through a few rows: whether
 * the users of a model are live, whether another artifact with one of its keys is live, and which
 * models are detached. So this holds no more than the previewed marks that changed such a row
 * while something not yet marked still depends on it; everything else a mark did cannot change a
 * later result and is left out, which keeps a dry run's memory to the sharing among its candidates
 * rather than to their number.
 *
 * @param deletedUsers      tasks marked by the dry run that use as input a model that is still live
 * @param deletingArtifacts artifacts marked by the dry run whose storage key a LIVE or PENDING
 *                          artifact still has
 * @param detachedModels    models the dry run detached and kept for their users, which the mark of
 *                          their last user would delete (neither published nor kept on request)
 */
public record SimulatedDeletions(Set<String> deletedUsers, Set<String> deletingArtifacts, Set<String> detachedModels) {
    /** Before the first page: nothing marked yet. */
    public static final SimulatedDeletions NONE = new SimulatedDeletions(Set.of(), Set.of(), Set.of());

    public SimulatedDeletions {
        // sorted: replayed in id order, the order in which every writer locks rows
        deletedUsers = Collections.unmodifiableSortedSet(new TreeSet<>(deletedUsers));
        deletingArtifacts = Collections.unmodifiableSortedSet(new TreeSet<>(deletingArtifacts));
        detachedModels = Collections.unmodifiableSortedSet(new TreeSet<>(detachedModels));
    }

    /** How many ids are carried from page to page. */
    public int size() {
        return deletedUsers.size() + deletingArtifacts.size() + detachedModels.size();
    }
}
