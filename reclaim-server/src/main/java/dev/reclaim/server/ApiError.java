package dev.reclaim.server;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The body of every error answer, as the OpenAPI document declares it. {@link Errors#body} builds
 * it as a map because some codes add context fields (e.g. {@code result} for {@code needs_force},
 * {@code holder} and {@code until} for {@code busy}); tests check real error answers against it.
 *
 * @param error   a stable code, e.g. {@code bad_request}
 * @param message what went wrong and how to proceed, in words
 */
@JsonClassDescription("An error: a stable code and a message; some codes add context fields")
record ApiError(@JsonProperty(required = true)
                @JsonPropertyDescription("a stable code: bad_request, unauthorized, forbidden, not_found, needs_force, "
                        + "busy, conflict, too_large, unavailable, internal, ...") String error,
                @JsonProperty(required = true)
                @JsonPropertyDescription("what went wrong and how to proceed, in words") String message) {
}
