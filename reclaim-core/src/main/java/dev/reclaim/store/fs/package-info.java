/**
 * The local-filesystem {@link dev.reclaim.store.ArtifactStore}: {@link dev.reclaim.store.fs.FileArtifactStore}.
 * Everything else in this package is an internal helper: folder handles that never follow links
 * ({@code Dir}, {@code SecureDir}, {@code PathCheckedDir}), atomic writes, the parallel batch delete and
 * the tree walk.
 */
package dev.reclaim.store.fs;
