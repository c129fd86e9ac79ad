/**
 * The S3 {@link dev.reclaim.store.ArtifactStore}: {@link dev.reclaim.s3.S3ArtifactStore}, configured by
 * its builder or from an {@link dev.reclaim.s3.S3Location} ({@code s3://bucket/prefix}). Everything
 * else in this package is an internal helper: key mapping ({@code S3Keys}), the batch delete
 * ({@code BatchDelete}), the SDK client settings ({@code S3Clients}) and error messages ({@code S3Errors}).
 */
package dev.reclaim.s3;
