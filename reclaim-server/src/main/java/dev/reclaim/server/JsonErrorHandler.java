package dev.reclaim.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's own error answers in the API's format: a request Jetty refuses before any handler runs
 * (a malformed request line, a URI or headers over the limit) or answers itself (a request arriving
 * while the server stops) gets {@code {"error", "message"}} and the security headers, never an
 * HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        if (request.getAttribute(ERROR_STATUS) instanceof Integer s) {
            status = s;
        }
        SecurityHeaders.apply(response.getHeaders());
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        BoundaryHandler.writeJson(response, callback, status, Errors.body(answer(status)));
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        SecurityHeaders.apply(fields);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(ERROR_CACHE_CONTROL);
        return ByteBuffer.wrap(HttpJson.write(Errors.body(answer(status))).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The answer for a status Jetty chose. Jetty's reason text is not passed on: it describes
     * parser internals, and the status already says which limit was hit.
     */
    static ApiException answer(int status) {
        return switch (status) {
            case 404 -> ApiException.notFound("no such route; the routes are listed at /openapi.json");
            case 413 -> new ApiException(413, Errors.TOO_LARGE, "the request body is larger than the server accepts; send less at a time");
            case 414 -> new ApiException(414, Errors.TOO_LARGE, "the request URI is longer than the server accepts; "
                    + "shorten the query (fewer or shorter filter values)");
            case 431 -> new ApiException(431, Errors.TOO_LARGE, "the request headers are larger than the server accepts; "
                    + "send fewer or shorter headers");
            case 503 -> new ApiException(503, Errors.UNAVAILABLE, "the server is stopping; send the request again once it runs");
            case 505 -> new ApiException(505, Errors.BAD_REQUEST, "this HTTP version is not supported; use HTTP/1.1");
            default -> status >= 500
                    ? new ApiException(status, Errors.INTERNAL, "internal error; the server log has the details")
                    : new ApiException(status, Errors.BAD_REQUEST, "the request is not valid HTTP (status " + status
                    + "); send a well-formed HTTP/1.1 request with one Host header");
        };
    }
}
