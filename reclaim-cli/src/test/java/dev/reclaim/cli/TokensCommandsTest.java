package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim tokens create/list/revoke}: the secret is printed once and never again. */
class TokensCommandsTest {
    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("home"));
    }

    @Test
    void createPrintsTheTokenOnceAndListNeverShowsIt() {
        Run created = cli.run("tokens", "create", "--name", "ci", "--role", "operator");
        assertThat(created.exitCode()).isZero();
        String token = created.firstLine();
        assertThat(token).startsWith("rcl_").hasSizeGreaterThan(60);
        assertThat(created.err()).contains("not shown again");

        Run table = cli.run("tokens", "list");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("ci").contains("operator").doesNotContain(token.substring(33));
        Run json = cli.run("tokens", "list", "--output", "json");
        assertThat(json.out()).contains("\"name\" : \"ci\"").contains("\"revoked\" : false").doesNotContain(token.substring(33))
                .doesNotContain("hash");
    }

    @Test
    void revokeByNameMarksTheTokenRevokedAndFreesTheName() {
        cli.run("tokens", "create", "--name", "ci", "--role", "viewer");
        assertThat(cli.run("tokens", "create", "--name", "ci", "--role", "viewer").exitCode()).isEqualTo(ExitCodes.USAGE);

        Run revoked = cli.run("tokens", "revoke", "ci");
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).contains("token 'ci'").contains("revoked");
        assertThat(cli.run("tokens", "list", "--output", "json").out()).contains("\"revoked\" : true");
        assertThat(cli.run("tokens", "create", "--name", "ci", "--role", "admin").exitCode()).isZero();
    }

    @Test
    void badInputExitsTwoWithAMessageThatSaysHowToFixIt() {
        Run badRole = cli.run("tokens", "create", "--name", "ci", "--role", "root");
        assertThat(badRole.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badRole.err()).contains("unknown role 'root'").contains("viewer, operator, admin");
        Run badName = cli.run("tokens", "create", "--name", "has space", "--role", "viewer");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.err()).contains("letters, digits");
        assertThat(cli.run("tokens", "create", "--role", "viewer").exitCode()).isEqualTo(ExitCodes.USAGE);
        Run unknown = cli.run("tokens", "revoke", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("reclaim tokens list");
        assertThat(cli.run("tokens").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
