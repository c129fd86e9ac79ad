package dev.reclaim.s3;

import dev.reclaim.StoreException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Tells "this object does not exist" from "this bucket does not exist" after a 404. A HeadObject
 * answer has no body, so S3 gives both the same bare 404, and a GetObject's error code is not
 * something every S3-compatible server fills in. Reporting a missing (or misnamed) bucket as an
 * absent object would let fsck call every record dangling and a repair forget them all, so a 404
 * counts as absence only once a HeadBucket has shown the bucket is there. The extra request is
 * made only on the absent path.
 */
final class Absence {
    private final S3Client s3;
    private final String bucket;
    private final S3Errors errors;

    Absence(S3Client s3, String bucket, S3Errors errors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.errors = errors;
    }

    /** True for an answer that says "not found" (the object, or perhaps the bucket). */
    static boolean notFound(S3Exception e) {
        return e.statusCode() == 404;
    }

    /**
     * Returns when the bucket is there, so the 404 for the object meant the object is absent.
     *
     * @param action what was being done, for the message: {@code read the metadata of key 'k'}
     * @throws StoreException when the bucket is missing or cannot be reached: nothing is known of the object
     */
    void confirm(String action, S3Exception notFound) {
        if ("NoSuchBucket".equals(notFound.awsErrorDetails() == null ? null : notFound.awsErrorDetails().errorCode())) {
            throw errors.wrap(action, notFound);
        }
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (SdkException e) {
            throw errors.wrap(action, e);
        }
    }
}
