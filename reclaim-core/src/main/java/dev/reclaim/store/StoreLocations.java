package dev.reclaim.store;

/**
 * Whether two artifact stores overlap, judged by their locations ({@link ArtifactStore#describe()}:
 * {@code file:/path}, {@code s3://bucket/prefix}). Overlapping stores would give one object two
 * keys, one in each store: deleting it by one key would delete what a record names by the other,
 * and each store's fsck would report the other's objects. So no two stores of a task store may
 * overlap. The judgement is by text, segment by segment, so it errs towards refusing (two
 * endpoints with a bucket of the same name overlap).
 */
final class StoreLocations {
    private StoreLocations() {
    }

    /** True when one location is the other or lies inside it. */
    static boolean overlap(String a, String b) {
        String x = folder(a);
        String y = folder(b);
        return x.startsWith(y) || y.startsWith(x);
    }

    static RootRefusedException overlapping(String name, String location, String other, String otherLocation) {
        return new RootRefusedException("the artifact store '" + name + "' at " + location + " overlaps "
                + (RootBinding.DEFAULT_NAME.equals(other) ? "the default artifact root" : "the artifact store '" + other + "'")
                + " at " + otherLocation + " (one is inside the other): an object would have a key in each, and deleting "
                + "it by one would delete what the other's records name. Give each store a location of its own, outside "
                + "the others");
    }

    /** The location ending with one {@code /}, so that a prefix match is a match of whole segments. */
    private static String folder(String location) {
        return location.endsWith("/") ? location : location + "/";
    }
}
