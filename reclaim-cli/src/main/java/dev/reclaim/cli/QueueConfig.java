package dev.reclaim.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the home's config file says about queues ({@code queues:} in {@code reclaim.yaml},
 * {@code queues.QUEUE.SETTING} in {@code reclaim.properties}): which executor a queue means and that
 * executor's options, so {@code --queue gpu} can mean "Slurm partition gpu with one GPU".
 */
final class QueueConfig {
    private QueueConfig() {
    }

    /** A queue's settings (executor and options), empty when the file says nothing about it. */
    static Map<String, String> of(Path home, String queue) {
        Map<String, String> out = new TreeMap<>();
        String prefix = ConfigFile.QUEUES + "." + queue + ".";
        ConfigFile.readHome(home).forEach((k, e) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), e.value());
            }
        });
        return out;
    }

    /** The queues the file gives to this executor. */
    static Set<String> queuesOf(Path home, String executor) {
        Set<String> out = new LinkedHashSet<>();
        ConfigFile.readHome(home).forEach((k, e) -> {
            if (k.startsWith(ConfigFile.QUEUES + ".") && k.endsWith(".executor") && executor.equals(e.value())) {
                out.add(k.substring(ConfigFile.QUEUES.length() + 1, k.length() - ".executor".length()));
            }
        });
        return out;
    }
}
