package dev.reclaim.s3;

import dev.reclaim.Problems;
import dev.reclaim.StoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Turns SDK exceptions into {@link StoreException}s whose message says what failed, why in plain
 * words, and how to fix it. The SDK's own message is kept at the end for the details.
 */
final class S3Errors {
    private final String where;

    /** @param where the store and its endpoint, for every message: {@code s3://b/p (endpoint http://...)} */
    S3Errors(String where) {
        this.where = where;
    }

    /** {@code cannot <action> in <where>: <reason>; <fix>}. */
    StoreException wrap(String action, SdkException e) {
        return new StoreException("cannot " + action + " in " + where + ": " + reason(e), e);
    }

    /** A short reason plus the fix, for one SDK exception. */
    static String reason(SdkException e) {
        if (e instanceof AwsServiceException se) {
            int status = se.statusCode();
            String code = se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorCode();
            String detail = " (HTTP " + status + (code == null ? "" : ", " + code) + ")";
            if (status == 404 && (code == null || "NoSuchBucket".equals(code))) {
                return "no such bucket" + detail + "; create the bucket or correct its name";
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                return "the credentials were rejected" + detail + "; check the access key and secret "
                        + "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the profile in use)";
            }
            if (status == 403) {
                return "access denied" + detail + "; check the credentials, and that the bucket policy or IAM "
                        + "policy allows s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it";
            }
            if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
                return "the bucket is in another region" + detail + "; set the bucket's region";
            }
            if (status == 503 || status == 429 || "SlowDown".equals(code)) {
                return "the service is throttling requests" + detail + " and retries with back-off did not get "
                        + "through; try again later or lower the request rate";
            }
            if (status >= 500) {
                return "the service failed" + detail + " on every retry; try again later";
            }
            return (se.awsErrorDetails() != null && se.awsErrorDetails().errorMessage() != null
                    ? se.awsErrorDetails().errorMessage() : "request refused") + detail;
        }
        if (e instanceof SdkClientException) {
            Throwable root = rootCause(e);
            if (root instanceof ConnectException || root instanceof UnknownHostException
                    || root instanceof NoRouteToHostException) {
                return "the endpoint is unreachable (" + Problems.describe(root) + "); check the endpoint URL, that the service "
                        + "is running, and the network or proxy";
            }
            if (root instanceof SocketTimeoutException) {
                return "the endpoint did not answer in time (" + Problems.describe(root) + "); check the endpoint and the network";
            }
            // The SDK's own text lists every provider of its chain by class name; what helps is what to set.
            if (e.getMessage() != null && e.getMessage().contains("region")) {
                return "no region is configured; set the region (--s3-region) or AWS_REGION";
            }
            if (e.getMessage() != null && e.getMessage().contains("credentials")) {
                return "no credentials were found; give an access key and secret, "
                        + "or configure the default chain (AWS_ACCESS_KEY_ID, a profile, or an instance role)";
            }
        }
        return Problems.describe(e);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
