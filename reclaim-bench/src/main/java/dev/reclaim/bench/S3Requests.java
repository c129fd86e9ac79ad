package dev.reclaim.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the HTTP requests an S3 client sends, per S3 operation, retries included: counted before
 * each transmission, so a retried request counts once per attempt, as S3 would bill it.
 */
final class S3Requests implements ExecutionInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
    }

    /** Forgets what was counted so far. */
    void reset() {
        counts.clear();
    }

    /** Requests per operation name since the last {@link #reset}, sorted by name. */
    Map<String, Integer> snapshot() {
        Map<String, Integer> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.intValue()));
        return m;
    }

    /** All requests in a {@link #snapshot}. */
    static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
