package dev.reclaim.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outermost handler: every request passes the {@link TrustBoundary} before Javalin sees it
 * (static files, {@code /health} and unknown paths included), every answer gets the
 * {@link SecurityHeaders}, and method-override headers are removed, so a POST is always a POST.
 */
final class BoundaryHandler extends Handler.Wrapper {
    /** Headers some frameworks read to turn a POST into another method; Javalin reads the first. */
    static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    private final TrustBoundary boundary;
    private final MeterRegistry meters;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    BoundaryHandler(TrustBoundary boundary, MeterRegistry meters, Handler inner) {
        super(inner);
        this.boundary = boundary;
        this.meters = meters;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SecurityHeaders.apply(response.getHeaders());
        HttpFields headers = request.getHeaders();
        TrustBoundary.Refusal refusal = boundary.check(request.getMethod(), request.getHttpURI().getHost(),
                request.getHttpURI().getCanonicalPath(), headers::getValuesList);
        if (refusal != null) {
            // Counted, so an operator sees a page or a rebinding name probing the server.
            refusals.computeIfAbsent(refusal.code(), code -> Counter.builder("reclaim.http.refused")
                    .description("Requests refused at the trust boundary (wrong host, other origin, not JSON)")
                    .tag("reason", code).register(meters)).increment();
            writeJson(response, callback, refusal.status(), Errors.body(new ApiException(refusal.status(), refusal.code(),
                    refusal.message())));
            return true;
        }
        return super.handle(withoutOverrides(request), response, callback);
    }

    private static Request withoutOverrides(Request request) {
        HttpFields headers = request.getHeaders();
        if (METHOD_OVERRIDES.stream().noneMatch(headers::contains)) {
            return request;
        }
        HttpFields.Mutable kept = HttpFields.build(headers);
        METHOD_OVERRIDES.forEach(kept::remove);
        HttpFields fixed = kept.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return fixed;
            }
        };
    }

    /** Answers with a JSON body (the security headers are already set). */
    static void writeJson(Response response, Callback callback, int status, Map<String, Object> body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(HttpJson.write(body).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
