package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.store.ApiToken;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code reclaim tokens list [--output table|json]}: never prints secrets or hashes. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists API tokens, oldest first: id, name, role, created, last used, revoked. Never their secrets."})
final class TokenListCommand extends HomeCommand {
    @Mixin
    OutputOption output;

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        List<ApiToken> tokens = reclaim.tokens().list();
        if (output.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ApiToken t : tokens) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t.id());
                m.put("name", t.name());
                m.put("role", t.role());
                m.put("created_at", t.createdAt());
                m.put("last_used_at", t.lastUsedAt());
                m.put("revoked", t.revoked());
                rows.add(m);
            }
            OutputOption.printJson(out(), rows);
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "NAME", "ROLE", "CREATED", "LAST_USED", "REVOKED"});
        for (ApiToken t : tokens) {
            rows.add(new String[] {t.id(), t.name(), t.role(), Text.time(t.createdAt()),
                    t.lastUsedAt() == null ? "-" : Text.time(t.lastUsedAt()), t.revoked() ? "yes" : "no"});
        }
        Table.print(rows, out());
        return ExitCodes.OK;
    }
}
