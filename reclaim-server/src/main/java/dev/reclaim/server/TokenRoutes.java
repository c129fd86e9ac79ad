package dev.reclaim.server;

import dev.reclaim.store.ApiToken;
import dev.reclaim.tokens.ApiTokens;
import dev.reclaim.tokens.Role;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/tokens}: API tokens (admin). Secrets are shown once, at creation. */
final class TokenRoutes {
    private static final String BASE = ReclaimServer.API + "/tokens";

    private final ApiTokens tokens;

    TokenRoutes(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** Body of {@code POST /tokens}. */
    record CreateBody(String name, String role) {
    }

    List<Route> routes() {
        return List.of(
                Route.get(BASE, Role.ADMIN, "List tokens (never their secrets)", List.of(),
                        c -> Map.of("tokens", tokens.list().stream().map(TokenRoutes::view).toList())),
                Route.post(BASE, Role.ADMIN, "Create a token; the response is the only time its secret is shown", List.of(),
                        "CreateBody: name, role (viewer|operator|admin)", c -> {
                            CreateBody b = c.body(CreateBody.class);
                            ApiTokens.Created t = tokens.create(b.name(), Role.parse(b.role()));
                            Map<String, Object> out = view(t.info());
                            out.put("token", t.token());
                            return new Route.Reply(201, out);
                        }),
                Route.delete(BASE + "/{name}", Role.ADMIN, "Revoke a token by name or id", List.of(),
                        c -> {
                            String name = c.path("name");
                            if (tokens.find(name).isEmpty()) {
                                throw ApiException.notFound("no token is named or has the id '" + name + "'");
                            }
                            return view(tokens.revoke(name));
                        }));
    }

    /** A token's record without its hash. */
    static Map<String, Object> view(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("role", t.role());
        m.put("created_at", t.createdAt().toString());
        m.put("last_used_at", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
        m.put("revoked", t.revoked());
        return m;
    }
}
