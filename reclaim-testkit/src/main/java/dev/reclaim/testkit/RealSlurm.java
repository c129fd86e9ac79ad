package dev.reclaim.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Whether a Slurm answers here ({@code sinfo} runs and lists a node that takes jobs). With
 * {@code RECLAIM_REQUIRE_SLURM=1} a missing Slurm is a failure naming how to start one; without, the
 * tests that need it are skipped.
 */
public final class RealSlurm {
    private RealSlurm() {
    }

    /** Returns when a Slurm answers; else fails (RECLAIM_REQUIRE_SLURM=1) or skips the calling test. */
    public static void require() throws IOException, InterruptedException {
        String why = problem();
        if (why == null) {
            return;
        }
        if ("1".equals(System.getenv("RECLAIM_REQUIRE_SLURM"))) {
            throw new AssertionError("RECLAIM_REQUIRE_SLURM=1 but " + why + "; start one with .ci/slurm-up");
        }
        Assumptions.abort(why + " (set RECLAIM_REQUIRE_SLURM=1 to make this a failure; .ci/slurm-up starts one)");
    }

    private static String problem() throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("sinfo", "--noheader", "--format=%t").redirectErrorStream(true).start();
        } catch (IOException e) {
            return "Slurm's sinfo cannot be run (" + e.getMessage() + ")";
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "sinfo did not answer in 20 s";
        }
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            return "sinfo's output cannot be read";
        }
        if (p.exitValue() != 0) {
            return "sinfo failed: " + out;
        }
        return out.contains("idle") || out.contains("mix") || out.contains("alloc") ? null : "no Slurm node takes jobs (" + out + ")";
    }
}
