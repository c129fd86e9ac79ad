package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.tokens.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/whoami}: the caller's token name and role, which the web UI uses to offer only what it may do. */
class WhoAmIApiTest {
    @TempDir
    Path home;
    ServerFixture f;

    @BeforeEach
    void start() {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void openAccessIsTheLocalAdmin() {
        JsonNode me = f.get("/api/v1/whoami").json();

        assertThat(me.path("name").asText()).isEqualTo("local");
        assertThat(me.path("role").asText()).isEqualTo("admin");
    }

    @Test
    void eachTokenLearnsItsOwnNameAndRoleAndNoTokenIs401() {
        String viewer = f.server.tokens().create("ui-viewer", Role.VIEWER).token();
        String operator = f.server.tokens().create("ops", Role.OPERATOR).token();

        f.token = viewer;
        JsonNode v = f.get("/api/v1/whoami").json();
        assertThat(v.path("name").asText()).isEqualTo("ui-viewer");
        assertThat(v.path("role").asText()).isEqualTo("viewer");
        f.token = operator;
        assertThat(f.get("/api/v1/whoami").json().path("role").asText()).isEqualTo("operator");
        f.token = null;
        ServerFixture.Answer none = f.get("/api/v1/whoami");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("unauthorized");
    }
}
