package dev.reclaim.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reclaim tokens COMMAND}: API tokens of the HTTP server. */
@Command(name = "tokens", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"API tokens of the HTTP server, kept (as SHA-256 hashes) in the home's database.",
                "Roles: viewer reads; operator also submits, cancels, archives, deletes and runs cleanup; admin also "
                        + "changes settings and manages tokens."},
        subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenRevokeCommand.class},
        footerHeading = "%nExample:%n",
        footer = {"  TOKEN=$(reclaim tokens create --name ci --role operator)",
                "  reclaim tokens list; reclaim tokens revoke ci"})
final class TokensCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }
}
