package dev.reclaim.s3;

import dev.reclaim.InvalidArgumentException;

import java.util.Locale;
import java.util.Objects;

/**
 * Where an S3 artifact store lives: a bucket and a key prefix inside it, written
 * {@code s3://bucket/some/prefix}. The prefix is normalised (no leading or trailing slash) and may be
 * empty ({@code s3://bucket}: the whole bucket).
 */
public final class S3Location {
    private final String bucket;
    private final String prefix;

    private S3Location(String bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /**
     * Parses {@code s3://bucket[/prefix]}.
     *
     * @throws InvalidArgumentException saying what is wrong with {@code uri} and what a good one looks like
     */
    public static S3Location parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw bad(uri, "it is empty");
        }
        if (!uri.regionMatches(true, 0, "s3://", 0, 5)) {
            throw bad(uri, "it does not start with s3://");
        }
        String rest = uri.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        String bucketProblem = bucketProblem(bucket);
        if (bucketProblem != null) {
            throw bad(uri, bucketProblem);
        }
        try {
            return new S3Location(bucket, S3Keys.normalisePrefix(prefix));
        } catch (InvalidArgumentException e) {
            throw bad(uri, e.getMessage());
        }
    }

    /**
     * A location from its parts; the prefix is normalised as by {@link #parse}.
     *
     * @throws InvalidArgumentException for a bucket name S3 does not allow or an invalid prefix
     */
    public static S3Location of(String bucket, String prefix) {
        String problem = bucketProblem(bucket);
        if (problem != null) {
            throw new InvalidArgumentException("bucket name '" + bucket + "' is not valid: " + problem);
        }
        return new S3Location(bucket, S3Keys.normalisePrefix(prefix));
    }

    /** The bucket name. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix, without leading or trailing slash; "" for the whole bucket. */
    public String prefix() {
        return prefix;
    }

    /** {@code s3://bucket/prefix}, or {@code s3://bucket} for an empty prefix. */
    @Override
    public String toString() {
        return prefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof S3Location l && l.bucket.equals(bucket) && l.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, prefix);
    }

    /** Why S3 would refuse this bucket name (its naming rules), or null if it is fine. */
    static String bucketProblem(String bucket) {
        if (bucket == null || bucket.isEmpty()) {
            return "the bucket name is missing";
        }
        if (bucket.length() < 3 || bucket.length() > 63) {
            return "bucket name '" + bucket + "' must be 3 to 63 characters long";
        }
        for (int i = 0; i < bucket.length(); i++) {
            char c = bucket.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return "bucket name '" + bucket + "' may contain only lowercase letters, digits, '.' and '-'"
                        + (bucket.toLowerCase(Locale.ROOT).equals(bucket) ? "" : " (it has uppercase letters)");
            }
        }
        if (!Character.isLetterOrDigit(bucket.charAt(0)) || !Character.isLetterOrDigit(bucket.charAt(bucket.length() - 1))) {
            return "bucket name '" + bucket + "' must start and end with a letter or digit";
        }
        if (bucket.contains("..")) {
            return "bucket name '" + bucket + "' may not contain '..'";
        }
        return null;
    }

    private static InvalidArgumentException bad(String uri, String why) {
        return new InvalidArgumentException("'" + uri + "' is not an S3 location: " + why
                + "; write it as s3://bucket or s3://bucket/some/prefix");
    }
}
