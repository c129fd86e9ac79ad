package dev.reclaim.s3;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.DeleteOutcome.Status;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link S3ArtifactStore#deleteBatch}: the keys are sorted and cut into chunks of at most 1,000 (the
 * DeleteObjects limit); chunks run in parallel on the store's small pool. Per chunk:
 *
 * <ol>
 * <li><b>Which keys exist.</b> S3's DeleteObjects reports every key as deleted whether or not it
 * existed, but the contract tells DELETED from ABSENT. Instead of one HEAD per key, the chunk's key
 * range is listed (ListObjectsV2, up to 1,000 keys a page, {@code StartAfter} jumping straight to the
 * next unresolved key) and merged with the sorted keys. Keys of one task sit next to each other, so
 * a chunk usually costs one list page; the worst case (keys scattered among many other objects)
 * resolves at least one key per page, never worse than a HEAD per key.</li>
 * <li><b>Delete.</b> One DeleteObjects request in quiet mode (only failures come back). A per-key
 * error becomes FAILED with S3's code and message; the pending-delete queue retries it later.</li>
 * </ol>
 *
 * A chunk whose listing or delete request fails (after the SDK's retries) reports all its keys
 * FAILED with the reason; other chunks are unaffected. Nothing here throws for a key.
 */
final class BatchDelete {
    /** S3's limit of keys per DeleteObjects request. */
    static final int MAX_KEYS_PER_REQUEST = 1000;

    /** S3 orders keys by their UTF-8 bytes; the merge with a listing must use the same order. */
    static final Comparator<String> S3_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final S3Client s3;
    private final String bucket;
    private final S3Keys keys;
    private final S3Errors errors;
    private final ExecutorService pool;

    BatchDelete(S3Client s3, String bucket, S3Keys keys, S3Errors errors, ExecutorService pool) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.errors = errors;
        this.pool = pool;
    }

    List<DeleteOutcome> run(Collection<String> storageKeys) {
        List<DeleteOutcome> outcomes = new ArrayList<>(storageKeys.size());
        // object key -> storage key, sorted as S3 lists them; duplicates collapse into one request
        TreeMap<String, String> valid = new TreeMap<>(S3_ORDER);
        for (String key : storageKeys) {
            String objectKey;
            try {
                objectKey = keys.objectKey(key);
            } catch (InvalidArgumentException e) {
                outcomes.add(new DeleteOutcome(key, Status.FAILED, e.getMessage()));
                continue;
            }
            if (!S3Keys.fitsS3(objectKey)) {
                outcomes.add(new DeleteOutcome(key, Status.ABSENT, null)); // too long for S3 under this prefix: never stored
                continue;
            }
            valid.put(objectKey, key);
        }
        List<List<String>> chunks = new ArrayList<>();
        List<String> chunk = new ArrayList<>(Math.min(valid.size(), MAX_KEYS_PER_REQUEST));
        for (String objectKey : valid.keySet()) {
            chunk.add(objectKey);
            if (chunk.size() == MAX_KEYS_PER_REQUEST) {
                chunks.add(chunk);
                chunk = new ArrayList<>(MAX_KEYS_PER_REQUEST);
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        List<Future<Map<String, DeleteOutcome>>> futures = new ArrayList<>();
        for (List<String> c : chunks) {
            try {
                futures.add(pool.submit(() -> deleteChunk(c)));
            } catch (RejectedExecutionException e) {
                futures.add(null); // store closing: reported FAILED below
            }
        }
        Map<String, DeleteOutcome> byObjectKey = new HashMap<>(valid.size() * 2);
        for (int i = 0; i < chunks.size(); i++) {
            try {
                if (futures.get(i) == null) {
                    throw new RejectedExecutionException("the store is closed");
                }
                byObjectKey.putAll(futures.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(chunks.get(i), "interrupted before the delete finished", byObjectKey);
            } catch (ExecutionException | RejectedExecutionException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                failAll(chunks.get(i), "batch delete failed: " + cause, byObjectKey);
            }
        }
        // one outcome per key given, in the order given (a duplicate key gets its key's outcome again)
        for (String key : storageKeys) {
            String objectKey = key == null ? null : keys.root() + key;
            DeleteOutcome o = objectKey == null ? null : byObjectKey.get(objectKey);
            if (o != null && valid.containsKey(objectKey)) {
                outcomes.add(new DeleteOutcome(key, o.status(), o.error()));
            }
        }
        return outcomes;
    }

    /** Resolves which keys exist, then deletes the chunk in one request. */
    private Map<String, DeleteOutcome> deleteChunk(List<String> sortedObjectKeys) {
        Map<String, DeleteOutcome> out = new HashMap<>(sortedObjectKeys.size() * 2);
        boolean[] exists;
        try {
            exists = existing(sortedObjectKeys);
        } catch (SdkException e) {
            failAll(sortedObjectKeys, errors.wrap("list the keys to delete", e).getMessage(), out);
            return out;
        }
        DeleteObjectsResponse response;
        try {
            List<ObjectIdentifier> ids = new ArrayList<>(sortedObjectKeys.size());
            for (String k : sortedObjectKeys) {
                ids.add(ObjectIdentifier.builder().key(k).build());
            }
            response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
        } catch (SdkException e) {
            failAll(sortedObjectKeys, errors.wrap("delete " + sortedObjectKeys.size() + " objects", e).getMessage(), out);
            return out;
        }
        Map<String, S3Error> failed = new HashMap<>();
        for (S3Error error : response.errors()) {
            failed.put(error.key(), error);
        }
        for (int i = 0; i < sortedObjectKeys.size(); i++) {
            String objectKey = sortedObjectKeys.get(i);
            S3Error error = failed.get(objectKey);
            DeleteOutcome o;
            if (error == null) {
                o = new DeleteOutcome(objectKey, exists[i] ? Status.DELETED : Status.ABSENT, null);
            } else if ("NoSuchKey".equals(error.code())) {
                o = new DeleteOutcome(objectKey, Status.ABSENT, null); // some S3-compatible stores say so
            } else {
                o = new DeleteOutcome(objectKey, Status.FAILED, "S3 refused to delete it: " + error.code() + ": " + error.message());
            }
            out.put(objectKey, o);
        }
        return out;
    }

    /**
     * Which of the sorted keys exist, by listing their range page by page. Each request starts just
     * before the next key still unknown, so objects between far-apart keys are skipped, not listed.
     */
    boolean[] existing(List<String> sorted) {
        boolean[] exists = new boolean[sorted.size()];
        String common = commonPrefix(sorted);
        int next = 0;
        String startAfter = justBefore(sorted.get(0));
        while (next < sorted.size()) {
            String after = startAfter;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix(common).maxKeys(MAX_KEYS_PER_REQUEST)
                    .startAfter(after.isEmpty() ? null : after));
            String last = null;
            for (S3Object o : page.contents()) {
                String listed = o.key();
                while (next < sorted.size() && S3_ORDER.compare(sorted.get(next), listed) < 0) {
                    next++; // listed past it: absent
                }
                if (next < sorted.size() && sorted.get(next).equals(listed)) {
                    exists[next++] = true;
                }
                last = listed;
                if (next == sorted.size()) {
                    break;
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || last == null) {
                break; // nothing more in the range: every key still unknown is absent
            }
            if (next < sorted.size()) {
                String jump = justBefore(sorted.get(next));
                startAfter = S3_ORDER.compare(jump, last) > 0 ? jump : last;
            }
        }
        return exists;
    }

    /**
     * {@code key} without its last character: it sorts before {@code key}, and only objects that extend it
     * with a smaller last character lie in between, so a listing that starts after it reaches {@code key} at once.
     */
    static String justBefore(String key) {
        return key.substring(0, key.offsetByCodePoints(key.length(), -1));
    }

    static String commonPrefix(List<String> sorted) {
        // in a sorted list the common prefix of all is the common prefix of the first and the last
        String first = sorted.get(0);
        String last = sorted.get(sorted.size() - 1);
        int n = 0;
        int max = Math.min(first.length(), last.length());
        while (n < max && first.charAt(n) == last.charAt(n)) {
            n++;
        }
        if (n > 0 && Character.isHighSurrogate(first.charAt(n - 1))) {
            n--; // never cut a character in two
        }
        return first.substring(0, n);
    }

    private static void failAll(List<String> objectKeys, String why, Map<String, DeleteOutcome> out) {
        for (String k : objectKeys) {
            out.put(k, new DeleteOutcome(k, Status.FAILED, why));
        }
    }
}
