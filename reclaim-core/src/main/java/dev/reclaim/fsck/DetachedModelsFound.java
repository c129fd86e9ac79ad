package dev.reclaim.fsck;

import java.util.List;

/**
 * Models detached from their deleted task that no live task uses, as {@link Fsck} found them.
 *
 * @param unused      those kept only for users that are gone (neither published nor kept on
 *                    request): a leak, which repair deletes; first {@value FsckReport#LISTED}
 * @param unusedCount how many in all
 * @param kept        published ones and ones kept on request: kept by design, listed so a person
 *                    can remove them ({@code reclaim models delete ID --force}); first {@value FsckReport#LISTED}
 * @param keptCount   how many in all
 */
public record DetachedModelsFound(List<String> unused, long unusedCount, List<String> kept, long keptCount) {
    /** None found. */
    public static final DetachedModelsFound NONE = new DetachedModelsFound(List.of(), 0, List.of(), 0);

    public DetachedModelsFound {
        unused = List.copyOf(unused);
        kept = List.copyOf(kept);
    }
}
