package dev.reclaim.tasks;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Artifact;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * Artifact names of one kind that would land on one file or folder in some artifact roots. A
 * filesystem root on macOS or Windows (and a Linux folder with case folding) ignores case and
 * Unicode normalisation, so {@code Best.ckpt} and {@code best.CKPT}, or {@code café} written
 * composed and decomposed, are one file there; and on every file system a name {@code out} (a
 * file) and {@code out/y.csv} (which needs a folder {@code out}) cannot both be stored. Such an add
 * would fail mid-copy, or land in the wrong place after the root is moved, so it is refused first.
 */
final class NameClashes {
    private NameClashes() {
    }

    /**
     * Refuses {@code name} when it clashes with the name of one of {@code existing} (LIVE artifacts of
     * the same kind, in the same task); an identical name is not a clash (the caller's same-name rule
     * applies to it).
     *
     * @throws InvalidArgumentException naming the clashing artifact and why
     */
    static void check(String taskId, String name, List<Artifact> existing) {
        String folded = fold(name);
        for (Artifact a : existing) {
            if (a.name().equals(name)) {
                continue;
            }
            String other = fold(a.name());
            String theirs = "'" + a.name() + "' (artifact " + a.id() + ")";
            if (other.equals(folded)) {
                throw new InvalidArgumentException("artifact name '" + name + "' is the same file name as task " + taskId
                        + "'s " + theirs + " on file systems that ignore case or Unicode normalisation (macOS, Windows); "
                        + "nothing was stored. Use the existing name exactly (with --replace to supersede it), or choose a name "
                        + "that differs by more than case or accents");
            }
            if (folded.startsWith(other + "/")) {
                throw new InvalidArgumentException("artifact name '" + name + "' needs a folder where task " + taskId
                        + " has the file " + theirs + "; nothing was stored. A name cannot be both a file and a folder "
                        + "(compared ignoring case and Unicode normalisation, as some file systems do): choose another name");
            }
            if (other.startsWith(folded + "/")) {
                throw new InvalidArgumentException("artifact name '" + name + "' would be a file where task " + taskId
                        + "'s " + theirs + " needs a folder; nothing was stored. A name cannot be both a file and a folder "
                        + "(compared ignoring case and Unicode normalisation, as some file systems do): choose another name");
            }
        }
    }

    /** The name as a case-insensitive, normalisation-insensitive file system compares it. */
    static String fold(String name) {
        String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
        return Normalizer.normalize(nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }
}
