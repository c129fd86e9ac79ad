package dev.reclaim.store;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.Names;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Whether an artifact root is this task store's to use (docs/rules.md invariant 7: Reclaim deletes
 * only in roots it created or was explicitly given and marked). The root carries a
 * {@link RootMarker} naming its id and the task store's; the task store keeps the root's id in a
 * {@link RootBinding}. A root is used only when both agree. On open ({@link #verify}):
 *
 * <ul>
 *   <li>a root with a marker naming this task store and the root it is bound to: used;</li>
 *   <li>a new, empty root (or one holding only a {@code tasks/} folder without objects), when the
 *       task store is bound to none yet: claimed (marker written first,
 *       then the binding, so a crash in between leaves a marker naming this store, which the next
 *       open binds);</li>
 *   <li>a root from before markers, when the task store is bound to none yet, holds only Reclaim's
 *       layout at its top ({@code tasks/}) and records at least one artifact whose object is there:
 *       adopted, as it is provably this store's;</li>
 *   <li>anything else is refused, nothing read or changed: another task store's root, a root with
 *       other content and no marker, a damaged marker, or a root other than the one this store is
 *       bound to. A person can mark such a root with {@link #adopt} (the CLI's {@code adopt-root})
 *       unless another store's marker is in it.</li>
 * </ul>
 *
 * <p><b>Named artifact stores</b> (a bucket or folder of data that was there before, whose objects
 * are registered in place) carry the same marker and are bound under their name. Adding one is a
 * person's explicit act, so it is an adoption ({@link #adopt(RootRegistry, String, ArtifactStore, Clock)}):
 * refused when another task store's marker is there, the name is bound to another root, that root
 * is bound under another name, or the location overlaps another root of this task store. On open a
 * named store is used only when its marker and its binding agree; it is never claimed implicitly.
 */
public final class ArtifactRoots {
    /** How many recorded artifacts are looked up in a root from before markers for evidence that it is this store's. */
    static final int EVIDENCE_LOOKUPS = 100;
    private static final String ADOPT_HINT = "'reclaim adopt-root' (with the same --home/--db/--artifacts)";
    /** The only way past another store's marker, which adopt-root never overrides on its own. */
    private static final String ADOPT_OTHERS = " If that task store is gone for good, delete the marker ("
            + RootMarker.NAME + ") by hand and run adopt-root again";
    private static final String ADD_OTHERS = " If that task store is gone for good, delete the marker ("
            + RootMarker.NAME + ") by hand and add the store again";

    private ArtifactRoots() {
    }

    /** What {@link #adopt} did. */
    public enum Adoption {
        /** The root already had this store's marker and was bound: nothing changed. */
        ALREADY_THIS_STORES,
        /** The root had this store's marker; the store is now bound to it again. */
        REBOUND,
        /** The root had no marker; it has one now and the store is bound to it. */
        MARKED
    }

    /**
     * Uses, claims or adopts the root as described in the class comment, or refuses it.
     *
     * @return the binding in force
     * @throws RootRefusedException naming the root, why, and the way forward; nothing was changed
     */
    public static <S extends RootRegistry & ConsistencyChecks> RootBinding verify(S tasks, ArtifactStore root, Clock clock) {
        return verify(tasks, RootBinding.DEFAULT_NAME, root, clock);
    }

    /**
     * {@link #verify(RootRegistry, ArtifactStore, Clock)} for the root bound under {@code name}. The
     * default root is used, claimed or adopted as the class comment says; a named store is only used,
     * when its marker names this task store and the root bound under its name, and never claimed.
     *
     * @return the binding in force
     * @throws RootRefusedException naming the store, why, and the way forward; nothing was changed
     */
    public static <S extends RootRegistry & ConsistencyChecks> RootBinding verify(S tasks, String name, ArtifactStore root,
                                                                                  Clock clock) {
        if (!RootBinding.DEFAULT_NAME.equals(name)) {
            return useNamed(tasks, name, root);
        }
        String storeId = tasks.storeId();
        // Two rounds at most: a lost race to write the marker is followed by one look at the winner's.
        for (int round = 0; ; round++) {
            Optional<RootBinding> bound = tasks.artifactRoot(RootBinding.DEFAULT_NAME);
            Optional<RootMarker> marker = readMarker(root);
            if (marker.isPresent()) {
                return useMarked(tasks, root, storeId, bound, marker.get(), clock);
            }
            if (bound.isPresent()) {
                throw unmarkedButBound(root.describe(), bound.get());
            }
            List<String> entries = root.rootEntries(2);
            // a tasks/ folder without objects holds nothing to protect: a claim killed after making
            // it for its marker's temp file leaves just that, and the next open must still claim
            boolean claimable = entries.isEmpty() || (entries.equals(List.of(StorageKeys.TASKS_FOLDER + "/"))
                    && (holdsNoObject(root) || recordsObjectsIn(tasks, root)));
            if (!claimable && round == 0 && root.readRootMarker().isPresent()) {
                continue; // another process claimed it and wrote objects between our two looks: look again
            }
            if (!claimable) {
                throw notCreatedByReclaim(root, entries);
            }
            RootMarker claim = RootMarker.claim(storeId, clock.instant());
            if (root.createRootMarker(claim.toJson()) && readMarker(root).equals(Optional.of(claim))) {
                return bind(tasks, root, claim);
            }
            if (round > 0) {
                throw new RootRefusedException("cannot claim " + root.describe() + ": another process keeps writing its "
                        + "marker; try again");
            }
        }
    }

    /**
     * Refuses, without reading or changing anything else, a root that {@link #verify} would refuse,
     * so that a command stops before it creates a home, a database or a folder for nothing.
     *
     * @param tasks    the task store, or null when it does not exist yet (a new store: bound to no
     *                 root, recording nothing, so it can claim only a new, empty root)
     * @param root     the root, or null when its folder does not exist yet (a new, empty root)
     * @param location where the root is, for messages when {@code root} is null
     * @throws RootRefusedException as {@link #verify} would, naming the way forward
     */
    public static <S extends RootRegistry & ConsistencyChecks> void precheck(S tasks, ArtifactStore root, String location) {
        precheck(tasks, RootBinding.DEFAULT_NAME, root, location);
    }

    /**
     * {@link #precheck(RootRegistry, ArtifactStore, String)} for the root bound under {@code name}: a
     * named store must exist, be bound and carry the marker its binding names.
     */
    public static <S extends RootRegistry & ConsistencyChecks> void precheck(S tasks, String name, ArtifactStore root,
                                                                             String location) {
        if (!RootBinding.DEFAULT_NAME.equals(name)) {
            if (tasks == null || root == null) {
                throw notAdded(name, root == null ? location : root.describe());
            }
            useNamed(tasks, name, root);
            return;
        }
        Optional<RootBinding> bound = tasks == null ? Optional.empty() : tasks.artifactRoot(RootBinding.DEFAULT_NAME);
        if (root == null) {
            if (bound.isPresent()) {
                throw unmarkedButBound(location, bound.get());
            }
            return;
        }
        Optional<RootMarker> marker = readMarker(root);
        if (marker.isPresent()) {
            if (tasks == null) {
                throw anotherStores(root, marker.get(), null, "");
            }
            useMarked(tasks, root, tasks.storeId(), bound, marker.get(), null);
            return;
        }
        if (bound.isPresent()) {
            throw unmarkedButBound(root.describe(), bound.get());
        }
        List<String> entries = root.rootEntries(2);
        boolean claimable = entries.isEmpty()
                || (tasks != null && entries.equals(List.of(StorageKeys.TASKS_FOLDER + "/")) && recordsObjectsIn(tasks, root));
        if (!claimable) {
            throw notCreatedByReclaim(root, entries);
        }
    }

    /**
     * Refuses, without changing anything, a root {@link #adopt} would refuse: one with another task
     * store's marker (any marker, when the task store does not exist yet) or a damaged one.
     *
     * @param tasks the task store, or null when it does not exist yet
     * @param root  the root, or null when its folder does not exist yet
     */
    public static void precheckAdoption(RootRegistry tasks, ArtifactStore root) {
        if (root == null) {
            return;
        }
        Optional<RootMarker> marker = readMarker(root);
        if (marker.isPresent() && (tasks == null || !marker.get().taskStoreId().equals(tasks.storeId()))) {
            throw anotherStores(root, marker.get(), tasks == null ? null : tasks.storeId(), ADOPT_OTHERS);
        }
    }

    /**
     * Checks, without changing anything, that the root is the one this task store is bound to and
     * carries its marker. Destructive operations of a long-lived instance call it again, in case the
     * root was swapped since it was opened.
     *
     * @throws RootRefusedException otherwise
     */
    public static void check(RootRegistry tasks, ArtifactStore root) {
        if (root instanceof MountedStores all) {
            check(tasks, RootBinding.DEFAULT_NAME, all.defaultStore());
            all.named().forEach((name, store) -> check(tasks, name, store));
            return;
        }
        check(tasks, RootBinding.DEFAULT_NAME, root);
    }

    /** {@link #check(RootRegistry, ArtifactStore)} for the root bound under {@code name}. */
    public static void check(RootRegistry tasks, String name, ArtifactStore root) {
        String storeId = tasks.storeId();
        Optional<RootBinding> bound = tasks.artifactRoot(name);
        Optional<RootMarker> marker = readMarker(root, name);
        if (bound.isEmpty() || marker.isEmpty() || !marker.get().taskStoreId().equals(storeId)
                || !marker.get().rootId().equals(bound.get().rootId())) {
            throw new RootRefusedException(root.describe() + " is no longer the marked " + what(name) + " of this task store "
                    + "(its marker was removed or replaced since the store was opened); nothing was deleted");
        }
    }

    /**
     * Marks the root as this task store's and binds the store to it, at a person's explicit request:
     * for a root from before markers that was not adopted on its own, or to move the store to a root
     * whose marker was lost. Never takes a root another task store's marker names.
     *
     * @throws RootRefusedException when another store's marker (or a damaged one) is in the root
     */
    public static Adoption adopt(RootRegistry tasks, ArtifactStore root, Clock clock) {
        return adopt(tasks, RootBinding.DEFAULT_NAME, root, clock);
    }

    /**
     * Marks {@code root} as this task store's and binds it under {@code name}, at a person's explicit
     * request: for the default root as {@link #adopt(RootRegistry, ArtifactStore, Clock)}; for a
     * named store (which may hold any content: it is data the person registers in place), refused
     * when another task store's marker (or a damaged one) is there, when {@code name} is bound to
     * another root, when the root is bound under another name, or when it overlaps a root bound
     * under another name. Nothing in the store is read, written or deleted but the marker.
     *
     * @throws RootRefusedException saying which and what to do; nothing was changed
     */
    public static Adoption adopt(RootRegistry tasks, String name, ArtifactStore root, Clock clock) {
        if (!RootBinding.DEFAULT_NAME.equals(name)) {
            return adoptNamed(tasks, Names.STORE_NAME.check(name), root, clock);
        }
        String storeId = tasks.storeId();
        Optional<RootBinding> bound = tasks.artifactRoot(RootBinding.DEFAULT_NAME);
        Optional<RootMarker> marker = readMarker(root);
        if (marker.isPresent()) {
            RootMarker m = marker.get();
            if (!m.taskStoreId().equals(storeId)) {
                throw anotherStores(root, m, storeId, ADOPT_OTHERS);
            }
            if (bound.isPresent() && bound.get().rootId().equals(m.rootId())) {
                return Adoption.ALREADY_THIS_STORES;
            }
            tasks.rebindArtifactRoot(new RootBinding(RootBinding.DEFAULT_NAME, m.rootId(), root.describe(), clock.instant()));
            return Adoption.REBOUND;
        }
        RootMarker claim = RootMarker.claim(storeId, clock.instant());
        if (!root.createRootMarker(claim.toJson()) || !readMarker(root).equals(Optional.of(claim))) {
            throw new RootRefusedException("cannot mark " + root.describe() + ": another process wrote a marker at the same "
                    + "moment; run adopt-root again to see whose it is");
        }
        tasks.rebindArtifactRoot(new RootBinding(RootBinding.DEFAULT_NAME, claim.rootId(), root.describe(), claim.createdAt()));
        return Adoption.MARKED;
    }

    // ---- named stores ---------------------------------------------------------------------------

    private static Adoption adoptNamed(RootRegistry tasks, String name, ArtifactStore root, Clock clock) {
        String storeId = tasks.storeId();
        String location = root.describe();
        Optional<RootBinding> bound = tasks.artifactRoot(name);
        Optional<RootMarker> marker = readMarker(root, name);
        if (marker.isPresent() && !marker.get().taskStoreId().equals(storeId)) {
            throw anotherStores(root, marker.get(), storeId, ADD_OTHERS);
        }
        if (marker.isPresent() && bound.isPresent() && bound.get().rootId().equals(marker.get().rootId())) {
            return Adoption.ALREADY_THIS_STORES;
        }
        if (bound.isPresent()) {
            throw new RootRefusedException("the artifact store name '" + name + "' is taken: it is root " + bound.get().rootId()
                    + ", added at " + bound.get().location() + ", and " + location + (marker.isPresent() ? " is root "
                    + marker.get().rootId() : " has no Reclaim marker") + ". Choose another name for this store");
        }
        for (RootBinding other : tasks.artifactRoots()) {
            if (marker.isPresent() && other.rootId().equals(marker.get().rootId())) {
                throw new RootRefusedException(location + " is already " + (RootBinding.DEFAULT_NAME.equals(other.name())
                        ? "this task store's default artifact root" : "this task store's artifact store '" + other.name() + "'")
                        + " (root " + other.rootId() + "); a root is added once, under one name");
            }
            if (StoreLocations.overlap(location, other.location())) {
                throw StoreLocations.overlapping(name, location, other.name(), other.location());
            }
        }
        RootMarker m = marker.orElse(null);
        if (m == null) {
            RootMarker claim = RootMarker.claim(storeId, clock.instant());
            if (!root.createRootMarker(claim.toJson()) || !readMarker(root, name).equals(Optional.of(claim))) {
                throw new RootRefusedException("cannot mark " + location + ": another process wrote a marker at the same "
                        + "moment; add the store again to see whose it is");
            }
            m = claim;
        }
        RootBinding inPlace = tasks.bindArtifactRoot(new RootBinding(name, m.rootId(), location, clock.instant()));
        if (!inPlace.rootId().equals(m.rootId())) {
            throw new RootRefusedException("another process added an artifact store named '" + name + "' (root "
                    + inPlace.rootId() + " at " + inPlace.location() + ") while this one added " + location
                    + "; choose another name");
        }
        return marker.isPresent() ? Adoption.REBOUND : Adoption.MARKED;
    }

    /** The binding of a named store whose marker and binding agree; refused otherwise. */
    private static RootBinding useNamed(RootRegistry tasks, String name, ArtifactStore root) {
        Names.STORE_NAME.check(name);
        String storeId = tasks.storeId();
        Optional<RootBinding> bound = tasks.artifactRoot(name);
        if (bound.isEmpty()) {
            throw notAdded(name, root.describe());
        }
        Optional<RootMarker> marker = readMarker(root, name);
        if (marker.isEmpty()) {
            throw new RootRefusedException("the artifact store '" + name + "' at " + root.describe() + " has no Reclaim "
                    + "marker (" + RootMarker.NAME + "), but this task store added '" + name + "' as root "
                    + bound.get().rootId() + " at " + bound.get().location() + ". Without its marker Reclaim cannot tell "
                    + "it is that store, so nothing in it is read or deleted: give the location of that store, or put its "
                    + "marker back");
        }
        if (!marker.get().taskStoreId().equals(storeId)) {
            throw anotherStores(root, marker.get(), storeId, "");
        }
        if (!marker.get().rootId().equals(bound.get().rootId())) {
            throw new RootRefusedException("the artifact store '" + name + "' at " + root.describe() + " is root "
                    + marker.get().rootId() + ", but this task store added '" + name + "' as root " + bound.get().rootId()
                    + " at " + bound.get().location() + " (its marker was replaced, or this is another store); nothing in "
                    + "it is read or deleted. Give the location of that store");
        }
        return bound.get();
    }

    private static RootRefusedException notAdded(String name, String location) {
        return new RootRefusedException("no artifact store named '" + name + "' was added to this task store, so "
                + location + " is not used. Add it first ('reclaim stores add " + name + " LOCATION'), which marks it as "
                + "this task store's");
    }

    private static String what(String name) {
        return RootBinding.DEFAULT_NAME.equals(name) ? "artifact root" : "artifact store '" + name + "'";
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** With {@code clock} null, only checks: an unbound store is not bound (and null is returned). */
    private static RootBinding useMarked(RootRegistry tasks, ArtifactStore root, String storeId, Optional<RootBinding> bound,
                                         RootMarker marker, Clock clock) {
        if (!marker.taskStoreId().equals(storeId)) {
            throw anotherStores(root, marker, storeId, "");
        }
        if (bound.isEmpty()) {
            // claimed by this store, which was stopped before it recorded the binding
            return clock == null ? null : bind(tasks, root, marker);
        }
        if (!bound.get().rootId().equals(marker.rootId())) {
            throw new RootRefusedException(root.describe() + " is root " + marker.rootId() + ", which this task store used "
                    + "before, but the store's artifacts are now in root " + bound.get().rootId() + ", bound at "
                    + bound.get().location() + ". Give that location (--artifacts), or run " + ADOPT_HINT
                    + " to bind the store to this root again");
        }
        return bound.get();
    }

    private static RootBinding bind(RootRegistry tasks, ArtifactStore root, RootMarker marker) {
        RootBinding inPlace = tasks.bindArtifactRoot(new RootBinding(RootBinding.DEFAULT_NAME, marker.rootId(),
                root.describe(), marker.createdAt()));
        if (!inPlace.rootId().equals(marker.rootId())) {
            throw new RootRefusedException("another process bound this task store to root " + inPlace.rootId() + " at "
                    + inPlace.location() + " while this one claimed " + root.describe() + "; give that location (--artifacts)");
        }
        return inPlace;
    }

    private static Optional<RootMarker> readMarker(ArtifactStore root) {
        return readMarker(root, RootBinding.DEFAULT_NAME);
    }

    private static Optional<RootMarker> readMarker(ArtifactStore root, String name) {
        Optional<String> text = root.readRootMarker();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<RootMarker> marker = RootMarker.parse(text.get());
        if (marker.isEmpty()) {
            throw new RootRefusedException(root.describe() + " has a " + RootMarker.NAME + " that is not a marker Reclaim "
                    + "wrote (damaged, or another program's). Reclaim will not use this " + (RootBinding.DEFAULT_NAME.equals(name)
                    ? "root; if it is this task store's, move that file away and run " + ADOPT_HINT
                    : "store; if it is this task store's, move that file away and add the store again ('reclaim stores add "
                    + name + " LOCATION')"));
        }
        return marker;
    }

    private static RootRefusedException unmarkedButBound(String location, RootBinding bound) {
        return new RootRefusedException(location + " has no Reclaim marker (" + RootMarker.NAME + "), but this task "
                + "store's artifacts are in root " + bound.rootId() + ", bound at " + bound.location()
                + ". Give that location (--artifacts); if this is that root and its marker was removed, run "
                + ADOPT_HINT + " to mark it again");
    }

    private static RootRefusedException notCreatedByReclaim(ArtifactStore root, List<String> entries) {
        return new RootRefusedException(root.describe() + " is not an artifact root Reclaim created: it holds "
                + describeEntries(entries) + " and no Reclaim marker (" + RootMarker.NAME + "). Reclaim never takes "
                + "over a folder or bucket prefix with other content. Give a new or empty location with --artifacts; "
                + "if this root is Reclaim's from before roots were marked, run " + ADOPT_HINT
                + " to mark it as this task store's (what Reclaim did not write there stays untouched)");
    }

    /** @param storeId this task store's id, or null for one that does not exist yet */
    private static RootRefusedException anotherStores(ArtifactStore root, RootMarker marker, String storeId, String more) {
        String self = storeId == null ? "this command would make a new task store" : "this one is " + storeId;
        return new RootRefusedException(root.describe() + " belongs to another task store (" + marker.taskStoreId()
                + "); " + self + ". Two task stores in one root would take each other's objects for "
                + "orphans, so each needs a root of its own: give this one another --artifacts location (or the --db "
                + "that root belongs to)." + more);
    }

    /** True when some artifact this store records has its object in the root: evidence that the root is its own. */
    /** True when no object is stored under {@code tasks/}: looks no further than the first. */
    private static boolean holdsNoObject(ArtifactStore root) {
        try {
            root.list(StorageKeys.TASKS_FOLDER + "/", o -> {
                throw new FoundOne();
            });
            return true;
        } catch (FoundOne found) {
            return false;
        }
    }

    /** Ends a listing at its first object. */
    private static final class FoundOne extends RuntimeException {
        FoundOne() {
            super(null, null, false, false);
        }
    }

    private static boolean recordsObjectsIn(ConsistencyChecks tasks, ArtifactStore root) {
        for (Artifact a : tasks.liveArtifactsAfter(null, EVIDENCE_LOOKUPS)) {
            if (root.stat(a.storageKey()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static String describeEntries(List<String> entries) {
        if (entries.equals(List.of(StorageKeys.TASKS_FOLDER + "/"))) {
            return "a tasks/ folder none of whose objects this task store records";
        }
        return "other content (such as '" + entries.stream().filter(e -> !e.equals(StorageKeys.TASKS_FOLDER + "/"))
                .findFirst().orElse(entries.get(0)) + "')";
    }
}
