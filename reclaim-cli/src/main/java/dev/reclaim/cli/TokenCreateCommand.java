package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.tokens.ApiTokens;
import dev.reclaim.tokens.Role;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reclaim tokens create --name N --role viewer|operator|admin}: prints the token once. */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Creates an API token and prints it on stdout. It is shown this once: only its hash is kept."},
        footerHeading = "%nExample:%n",
        footer = {"  TOKEN=$(reclaim tokens create --name ci --role operator)"})
final class TokenCreateCommand extends HomeCommand {
    @Option(names = "--name", required = true, paramLabel = "N",
            description = "Unique name (letters, digits, '.', '_', '-'); revoke by this name.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin.")
    String role;

    private Role parsed;

    @Override
    void validate() {
        parsed = Role.parse(role);
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        ApiTokens.Created t = reclaim.tokens().create(name, parsed);
        out().println(t.token());
        err().println("token '" + t.info().name() + "' (" + t.info().role() + ", id " + t.info().id()
                + ") created; store it now, it is not shown again. Send it as: Authorization: Bearer TOKEN");
        return ExitCodes.OK;
    }
}
