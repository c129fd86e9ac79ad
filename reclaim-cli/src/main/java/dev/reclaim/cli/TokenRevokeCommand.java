package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.store.ApiToken;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code reclaim tokens revoke NAME_OR_ID}: the token stops working at once on every server sharing the home. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revokes a token by name or id; every server sharing this database refuses it from the next request."})
final class TokenRevokeCommand extends HomeCommand {
    @Parameters(paramLabel = "NAME_OR_ID", description = "The token's name or id (see reclaim tokens list).")
    String nameOrId;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        ApiToken t = reclaim.tokens().revoke(nameOrId);
        out().println("token '" + t.name() + "' (" + t.id() + ") revoked");
        return ExitCodes.OK;
    }
}
