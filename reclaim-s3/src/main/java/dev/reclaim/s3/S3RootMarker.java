package dev.reclaim.s3;

import dev.reclaim.store.RootMarker;
import dev.reclaim.store.StorageKeys;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The identity marker of an {@link S3ArtifactStore}'s root: the object {@code <prefix>/.reclaim-root}.
 * It is created with a conditional PutObject ({@code If-None-Match: *}), so of two writers at the
 * same moment exactly one succeeds, and an existing marker is never replaced.
 */
final class S3RootMarker {
    private final S3Client s3;
    private final String bucket;
    private final S3Keys keys;
    private final S3Errors errors;
    private final Absence absence;

    S3RootMarker(S3Client s3, String bucket, S3Keys keys, S3Errors errors, Absence absence) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.errors = errors;
        this.absence = absence;
    }

    private String objectKey() {
        return keys.root() + RootMarker.NAME;
    }

    Optional<String> read() {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(objectKey()))) {
            if (in.response().contentLength() != null && in.response().contentLength() > RootMarker.MAX_BYTES) {
                return Optional.of(""); // no marker Reclaim wrote
            }
            return Optional.of(new String(in.readNBytes(RootMarker.MAX_BYTES + 1), StandardCharsets.UTF_8));
        } catch (S3Exception e) {
            if (Absence.notFound(e)) {
                // a missing bucket is no root without a marker: it is no root at all
                absence.confirm("read the marker " + objectKey(), e);
                return Optional.empty();
            }
            throw errors.wrap("read the marker " + objectKey(), e);
        } catch (SdkException e) {
            throw errors.wrap("read the marker " + objectKey(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the marker " + objectKey(), e);
        }
    }

    boolean create(String text) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(objectKey()).ifNoneMatch("*"), RequestBody.fromString(text, StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            // 412: there is one already; 409: another conditional write of it is in progress
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw errors.wrap("write the marker " + objectKey(), e);
        } catch (SdkException e) {
            throw errors.wrap("write the marker " + objectKey(), e);
        }
    }

    /** Top-level names under the prefix (one delimited listing), Reclaim's own ones left out. */
    List<String> entries(int limit) {
        String root = keys.root();
        List<String> found = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(root).delimiter("/"))) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    add(found, p.prefix().substring(root.length()));
                }
                for (S3Object o : page.contents()) {
                    add(found, o.key().substring(root.length()));
                }
                if (found.size() >= limit) {
                    return found.subList(0, limit);
                }
            }
        } catch (SdkException e) {
            throw errors.wrap("list the top of the prefix", e);
        }
        return found;
    }

    private static void add(List<String> found, String name) {
        // "" is a folder-marker object equal to the prefix itself, which other tools make: no content
        if (!name.isEmpty() && !StorageKeys.isReservedName(name)) {
            found.add(name);
        }
    }
}
