package dev.reclaim.fsck;

import dev.reclaim.model.Artifact;

import java.util.ArrayList;
import java.util.List;

/**
 * The LIVE records fsck could not check: the artifact store failed to answer for their objects,
 * or something other than an object is in the way of their keys. After {@link #GIVE_UP_AFTER} failures in a row the store is taken to be down and is no
 * longer asked (each request may wait out its retries and time-outs); the records that follow are
 * counted as unchecked without a request.
 */
final class Unchecked {
    /** Failures in a row after which the store is not asked again in this run. */
    static final int GIVE_UP_AFTER = 20;

    private final List<String> listed = new ArrayList<>();
    private long count;
    private int inARow;
    private String lastError;

    /** True once the store failed {@link #GIVE_UP_AFTER} times in a row. */
    boolean givenUp() {
        return inARow >= GIVE_UP_AFTER;
    }

    /** The store answered for a record (present or absent): failures are no longer in a row. */
    void answered() {
        inARow = 0;
    }

    /** The store failed to answer for {@code a}'s object. */
    void failed(Artifact a, RuntimeException e) {
        inARow++;
        lastError = e.getMessage();
        add(a, lastError);
    }

    /** Something other than an object is at {@code a}'s key or on its path; the store answered, so no failure. */
    void blocked(Artifact a, String what) {
        add(a, what + "; move it away or put the object back at its key, and run fsck again");
    }

    /** {@code a} was not asked about, the store having failed too often in a row. */
    void skip(Artifact a) {
        add(a, "not asked: the artifact store failed for the " + GIVE_UP_AFTER + " records before it (last: " + lastError + ")");
    }

    private void add(Artifact a, String why) {
        count++;
        if (listed.size() < FsckReport.LISTED) {
            listed.add(a.id() + " (" + a.storageKey() + "): " + why);
        }
    }

    List<String> listed() {
        return listed;
    }

    long count() {
        return count;
    }
}
