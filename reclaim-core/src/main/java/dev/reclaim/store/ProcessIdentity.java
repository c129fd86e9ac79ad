package dev.reclaim.store;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who holds a claim or a lease: a process, named precisely enough that another process on the
 * same host can tell whether it is still running. A pid alone is not enough: after a restart of
 * the host every pid is free, and a pid can be reused by an unrelated process. So the identity
 * also carries the host's name and machine id, its boot id, the pid namespace and the process's
 * start time; {@link #judge} compares them.
 *
 * <p>Stored as text ({@link #encode}, {@link #parse}). Parts Linux does not provide elsewhere are
 * empty (and the start time {@code -1}); the judgement is then more cautious, never bolder.
 *
 * @param host         the host name
 * @param machineId    {@code /etc/machine-id}, or empty
 * @param bootId       the kernel's boot id (changes on every restart of the host), or empty
 * @param pidNamespace the pid namespace the pid belongs to, or empty
 * @param pid          the process id
 * @param startedAt    when the process started, in epoch milliseconds; {@code -1} if unknown
 */
public record ProcessIdentity(String host, String machineId, String bootId, String pidNamespace, long pid,
                              long startedAt) {

    /** What one process can tell about another from its identity. */
    public enum Liveness {
        /** Running now: same host, and its pid belongs to the process that started then. */
        ALIVE,
        /** Known to be gone: same host, and it has restarted, or nothing (or another process) has that pid. */
        DEAD,
        /** Cannot be told from here: another host, or a pid namespace this process cannot see into. */
        UNKNOWN
    }

    private static final class Current {
        static final ProcessIdentity SELF = of(ProcessHandle.current());
    }

    public ProcessIdentity {
        Objects.requireNonNull(host, "host");
        machineId = Objects.requireNonNullElse(machineId, "");
        bootId = Objects.requireNonNullElse(bootId, "");
        pidNamespace = Objects.requireNonNullElse(pidNamespace, "");
    }

    /** This process. */
    public static ProcessIdentity current() {
        return Current.SELF;
    }

    /** A process of this host, as seen now (its start time from the operating system). */
    public static ProcessIdentity of(ProcessHandle process) {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        return new ProcessIdentity(hostName(), read("/etc/machine-id"), read("/proc/sys/kernel/random/boot_id"),
                ownPidNamespace(), process.pid(), started);
    }

    /**
     * Whether {@code other} is still running, judged from this process (which must be the current
     * one, or a process of the same host and namespace).
     */
    public Liveness judge(ProcessIdentity other) {
        if (!host.equals(other.host) || !machineId.equals(other.machineId)) {
            return Liveness.UNKNOWN;
        }
        if (!bootId.isEmpty() && !other.bootId.isEmpty() && !bootId.equals(other.bootId)) {
            return Liveness.DEAD; // the host restarted since that process claimed
        }
        if (!pidNamespace.equals(other.pidNamespace)) {
            return Liveness.UNKNOWN; // another container's pids are not ours to look up
        }
        Optional<ProcessHandle> process = ProcessHandle.of(other.pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return Liveness.DEAD;
        }
        long started = process.get().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        if (other.startedAt >= 0 && started >= 0 && started != other.startedAt) {
            return Liveness.DEAD; // the pid now belongs to a process that started later
        }
        return Liveness.ALIVE;
    }

    /** For people: {@code pid 1234 on host h}. */
    public String describe() {
        return "pid " + pid + " on host " + host;
    }

    /** The stored form: space-separated {@code key=value} pairs; {@link #parse} reads it back. */
    public String encode() {
        return "pid=" + pid + " host=" + host + " machine=" + machineId + " boot=" + bootId + " pidns=" + pidNamespace
                + " start=" + startedAt;
    }

    /** Reads {@link #encode}'s form; empty for text in any other form (such as a holder written before). */
    public static Optional<ProcessIdentity> parse(String text) {
        if (text == null || !text.startsWith("pid=")) {
            return Optional.empty();
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : text.split(" ")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            parts.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            String host = parts.get("host");
            if (host == null || host.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ProcessIdentity(host, parts.get("machine"), parts.get("boot"), parts.get("pidns"),
                    Long.parseLong(parts.get("pid")), Long.parseLong(parts.getOrDefault("start", "-1"))));
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static String hostName() {
        String name = read("/proc/sys/kernel/hostname");
        if (name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "unknown";
            }
        }
        return name.replace(' ', '_');
    }

    private static String ownPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replace(' ', '_');
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }

    /** The first line of a small system file, without spaces; empty if it cannot be read. */
    private static String read(String file) {
        try {
            String s = Files.readString(Path.of(file), StandardCharsets.US_ASCII).strip();
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).replace(' ', '_');
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
