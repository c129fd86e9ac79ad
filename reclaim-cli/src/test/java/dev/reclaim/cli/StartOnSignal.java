package dev.reclaim.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A child JVM that loads everything, waits until a go file appears, then runs the CLI: several
 * children released by one file start their commands within milliseconds of each other.
 * Arguments: GO_FILE then the CLI's arguments.
 */
final class StartOnSignal {
    private StartOnSignal() {
    }

    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        Main.commandLine(System.getenv(), Path.of("").toAbsolutePath()); // load and initialise picocli first
        Files.writeString(Path.of(args[0] + "." + ProcessHandle.current().pid() + ".ready"), "");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                System.err.println("no go file " + go + " within 2 minutes");
                System.exit(99);
            }
            Thread.onSpinWait();
        }
        Main.main(Arrays.copyOfRange(args, 1, args.length));
    }
}
