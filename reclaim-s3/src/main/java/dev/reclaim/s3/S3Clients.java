package dev.reclaim.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Builds the SDK client from the store's settings: one place for HTTP, retries, region and credentials. */
final class S3Clients {
    /** Region used with an endpoint override when none is set: S3-compatible servers mostly ignore it, but SigV4 needs one. */
    static final String DEFAULT_REGION_WITH_ENDPOINT = "us-east-1";

    private S3Clients() {
    }

    /**
     * The retry strategy: the SDK's <em>standard</em> strategy with AWS's retry conditions (throttling
     * codes such as SlowDown and 503, 5xx, clock skew, I/O errors), {@code maxAttempts} attempts in all,
     * exponential back-off with full jitter from 100 ms capped at 20 s, and a slower start (1 s) after a
     * throttling answer. Standard, not adaptive: adaptive also rate-limits the client for every caller
     * sharing it, which would slow the whole store for one hot prefix; standard's retry quota (a
     * circuit breaker) already stops retry storms, and the pending-delete queue retries what fails later.
     */
    static RetryStrategy retryStrategy(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(20)))
                .build();
    }

    static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
        return accessKey != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))
                : DefaultCredentialsProvider.builder().build();
    }

    static S3Client build(URI endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials,
                          int maxAttempts, Duration connectTimeout, Duration socketTimeout,
                          List<ExecutionInterceptor> interceptors) {
        S3ClientBuilder b = S3Client.builder()
                // Apache HttpClient 4: a pool that checks connections before reuse (see docs/decisions.md)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(connectTimeout)
                        .socketTimeout(socketTimeout))
                .overrideConfiguration(o -> {
                    o.retryStrategy(retryStrategy(maxAttempts));
                    interceptors.forEach(o::addExecutionInterceptor);
                })
                .forcePathStyle(pathStyle)
                .credentialsProvider(credentials);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        String r = region != null ? region : endpoint != null ? DEFAULT_REGION_WITH_ENDPOINT : null;
        if (r != null) {
            b.region(Region.of(r));
        } // else: the SDK's default region chain (AWS_REGION, profile, instance metadata)
        return b.build();
    }
}
