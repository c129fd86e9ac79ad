package dev.reclaim.server;

import dev.reclaim.store.ApiToken;
import dev.reclaim.tokens.ApiTokens;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.time.Instant;
import java.util.List;

/** {@code /api/v1/tokens}: API tokens (admin). Secrets are shown once, at creation. */
final class TokenRoutes {
    private static final String BASE = ReclaimServer.API + "/tokens";

    private final ApiTokens tokens;

    TokenRoutes(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** Body of {@code POST /tokens}. */
    record CreateBody(String name, @JsonPropertyDescription("viewer, operator or admin") String role) {
    }

    /** A token's record without its hash. */
    record TokenView(@JsonProperty(required = true) String id, @JsonProperty(required = true) String name,
                     @JsonProperty(required = true) @JsonPropertyDescription("viewer, operator or admin") String role,
                     @JsonProperty(required = true) Instant createdAt,
                     @JsonPropertyDescription("absent when never used") Instant lastUsedAt, boolean revoked) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id(), t.name(), t.role(), t.createdAt(), t.lastUsedAt(), t.revoked());
        }
    }

    /** Answer of {@code POST /tokens}: the token's record and, this once, its secret. */
    record TokenCreated(@JsonProperty(required = true) String id, @JsonProperty(required = true) String name,
                        @JsonProperty(required = true) String role, @JsonProperty(required = true) Instant createdAt,
                        Instant lastUsedAt, boolean revoked,
                        @JsonProperty(required = true)
                        @JsonPropertyDescription("the secret to send as 'Authorization: Bearer TOKEN'; shown only here")
                        String token) {
    }

    /** Answer of {@code GET /tokens}. */
    record TokenList(@JsonProperty(required = true) List<TokenView> tokens) {
    }

    /** Answer of {@code GET /whoami}: who the server takes the caller for, so a client can offer only what it may do. */
    record WhoAmI(@JsonProperty(required = true)
                  @JsonPropertyDescription("the token's name; 'local' in open-access mode (loopback, no tokens)") String name,
                  @JsonProperty(required = true)
                  @JsonPropertyDescription("viewer, operator or admin; admin in open-access mode") String role) {
    }

    List<Route> routes() {
        return List.of(
                Route.get(ReclaimServer.API + "/whoami", Role.VIEWER, "The caller's token name and role (any valid token); "
                                + "in open-access mode {name: local, role: admin}", List.of(), Route.Response.json(WhoAmI.class),
                        c -> c.token() == null ? new WhoAmI("local", Role.ADMIN.apiName())
                                : new WhoAmI(c.token().name(), Role.parse(c.token().role()).apiName())),
                Route.get(BASE, Role.ADMIN, "List tokens (never their secrets)", List.of(),
                        Route.Response.json(TokenList.class),
                        c -> new TokenList(tokens.list().stream().map(TokenView::of).toList())),
                Route.post(BASE, Role.ADMIN, "Create a token; the response is the only time its secret is shown", List.of(),
                        CreateBody.class, Route.Response.created(TokenCreated.class), c -> {
                            CreateBody b = c.body(CreateBody.class);
                            ApiTokens.Created t = tokens.create(b.name(), Role.parse(b.role()));
                            ApiToken i = t.info();
                            return new Route.Reply(201, new TokenCreated(i.id(), i.name(), i.role(), i.createdAt(),
                                    i.lastUsedAt(), i.revoked(), t.token()));
                        }),
                Route.delete(BASE + "/{name}", Role.ADMIN, "Revoke a token by name or id", List.of(),
                        Route.Response.json(TokenView.class), c -> {
                            String name = c.path("name");
                            if (tokens.find(name).isEmpty()) {
                                throw ApiException.notFound("no token is named or has the id '" + name + "'");
                            }
                            return TokenView.of(tokens.revoke(name));
                        }));
    }
}
