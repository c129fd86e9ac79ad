package dev.reclaim.jdbc.stateful;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.store.RootMarker;
import dev.reclaim.store.StorageUsage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** What must hold after every step, crash or not, read from the real stores. */
final class Invariants {
    private Invariants() {
    }

    static void check(World w, Reference ref) {
        liveBytesAreTheAddedOnes(w, ref);
        foreignFilesAreUntouched(w, ref);
        inputModelsOfLiveTasksAreKept(w, ref);
        usageTotalsAreTheRecordsSum(w);
    }

    /**
     * The usage totals 'reclaim du' reads equal a recount of the records, and their total the sum of
     * every LIVE artifact's size: the triggers moved them in the transaction of each change, crash
     * or not.
     */
    static void usageTotalsAreTheRecordsSum(World w) {
        List<String> differences = w.tasks().checkUsage(5);
        if (!differences.isEmpty()) {
            throw new AssertionError("storage usage totals differ from the records: " + differences);
        }
        long objects = 0;
        long bytes = 0;
        String after = "";
        List<Artifact> page;
        while (!(page = w.tasks().liveArtifactsAfter(after, 500)).isEmpty()) {
            objects += page.size();
            bytes += page.stream().mapToLong(Artifact::sizeBytes).sum();
            after = page.get(page.size() - 1).id();
        }
        StorageUsage.UsageReport r = w.tasks().usage(new StorageUsage.UsageQuery(List.of(), 0, Instant.EPOCH));
        if (r.objects() != objects || r.bytes() != bytes) {
            throw new AssertionError("'du' reports " + r.objects() + " object(s), " + r.bytes() + " bytes; the LIVE records "
                    + "are " + objects + ", " + bytes);
        }
    }

    /** No LIVE artifact's bytes changed since its add, and every LIVE record has its object. */
    static void liveBytesAreTheAddedOnes(World w, Reference ref) {
        String after = "";
        while (true) {
            List<Artifact> page = w.tasks().liveArtifactsAfter(after, 500);
            if (page.isEmpty()) {
                return;
            }
            for (Artifact a : page) {
                byte[] stored = read(w, a);
                byte[] expected = ref.bytesById.get(a.id());
                if (expected == null) {
                    expected = claimUnknownAdd(ref, a, stored);
                }
                if (!Arrays.equals(stored, expected)) {
                    throw new AssertionError("LIVE artifact " + a.id() + " '" + a.name() + "' of task " + a.taskId()
                            + " at " + a.storageKey() + " holds " + preview(stored) + ", but was added with " + preview(expected));
                }
                if (a.sizeBytes() != stored.length) {
                    throw new AssertionError("LIVE artifact " + a.id() + " records " + a.sizeBytes() + " bytes, its object has "
                            + stored.length);
                }
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** A LIVE record no known add made is one a crash hid: it must hold that add's bytes, and from now on it is known. */
    private static byte[] claimUnknownAdd(Reference ref, Artifact a, byte[] stored) {
        for (Iterator<Reference.UnknownAdd> it = ref.unknownAdds.iterator(); it.hasNext(); ) {
            Reference.UnknownAdd u = it.next();
            if (u.taskId().equals(a.taskId()) && u.kind() == a.kind() && u.name().equals(a.name())
                    && Arrays.equals(u.bytes(), stored)) {
                it.remove();
                ref.added(a.id(), a.kind(), u.bytes());
                return u.bytes();
            }
        }
        throw new AssertionError("LIVE artifact " + a.id() + " '" + a.name() + "' of task " + a.taskId() + " holds "
                + preview(stored) + ", which no add of that name gave it");
    }

    private static byte[] read(World w, Artifact a) {
        try (InputStream in = w.artifacts().open(a.storageKey())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError("LIVE artifact " + a.id() + " '" + a.name() + "' of task " + a.taskId()
                    + " has no readable object at " + a.storageKey() + ": " + e.getMessage(), e);
        }
    }

    /** Files Reclaim did not write are where they were, with their bytes. */
    static void foreignFilesAreUntouched(World w, Reference ref) {
        ref.foreignFiles.forEach((name, bytes) -> {
            Optional<byte[]> now = w.place.read(name);
            if (now.isEmpty() || !Arrays.equals(now.get(), bytes)) {
                throw new AssertionError("a file Reclaim did not write was " + (now.isEmpty() ? "deleted" : "changed") + ": " + name);
            }
        });
    }

    /** A model a live task uses as input keeps its record and its bytes, whoever made it. */
    static void inputModelsOfLiveTasksAreKept(World w, Reference ref) {
        for (String id : ref.taskIds) {
            Optional<Task> t = w.tasks().findTask(id);
            if (t.isEmpty() || !t.get().isLive()) {
                continue;
            }
            for (String m : t.get().inputModels()) {
                Optional<Artifact> model = w.tasks().findArtifact(m);
                if (model.isEmpty() || model.get().state() != ArtifactState.LIVE) {
                    throw new AssertionError("model " + m + ", an input of live task " + id + ", is "
                            + model.map(a -> a.state().toString()).orElse("gone"));
                }
            }
        }
    }

    /** Everything in the artifact root but its marker and the foreign files: what a full deletion must leave empty. */
    static List<String> leftInRoot(World w, Reference ref) {
        List<String> left = new ArrayList<>(w.place.everything());
        left.removeIf(name -> ref.foreignFiles.containsKey(name) || name.equals(RootMarker.NAME));
        return left;
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 12), StandardCharsets.ISO_8859_1);
        return b.length + " bytes starting '" + s + "'";
    }
}
