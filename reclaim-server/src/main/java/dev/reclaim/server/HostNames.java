package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names and IP literals in one comparable form: names in lower case, IPv4 in dotted quads,
 * IPv6 as {@link InetAddress#getHostAddress()} writes it (no brackets, no zone). Only literals are
 * ever parsed as addresses, so nothing here looks a name up in DNS.
 */
final class HostNames {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DNS_NAME = Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    /** Starts like a literal, so InetAddress parses it and never falls back to a DNS lookup. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:][0-9a-f:.]{1,44}");

    private HostNames() {
    }

    /**
     * The comparable form of a host name or IP literal ({@code [::1]} and {@code ::1} alike), or
     * null when it is neither.
     */
    static String normalize(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            return ipv6(h.substring(1, h.length() - 1));
        }
        if (h.indexOf(':') >= 0) {
            return ipv6(h);
        }
        if (IPV4.matcher(h).matches()) {
            return h;
        }
        return DNS_NAME.matcher(h).matches() && !h.chars().allMatch(c -> c == '.' || Character.isDigit(c)) ? h : null;
    }

    private static String ipv6(String literal) {
        if (!IPV6.matcher(literal).matches() || literal.indexOf(':') < 0) {
            return null;
        }
        try {
            // A literal with colons is parsed, never resolved.
            return InetAddress.getByName(literal).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /** Host and port of an authority; port -1 when absent. */
    record Authority(String host, int port) {
    }

    /**
     * The host (comparable form) and port of a {@code Host} header or URL authority: {@code name},
     * {@code name:port}, {@code [v6]:port}; null when malformed.
     */
    static Authority authority(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        String host;
        String port = null;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = v.substring(0, close + 1);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
        } else {
            int colon = v.lastIndexOf(':');
            if (colon >= 0 && v.indexOf(':') != colon) {
                return null; // an unbracketed IPv6 literal is not a valid authority
            }
            host = colon < 0 ? v : v.substring(0, colon);
            port = colon < 0 ? null : v.substring(colon + 1);
        }
        int p = -1;
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return null;
            }
            p = Integer.parseInt(port);
            if (p > 65535) {
                return null;
            }
        }
        String h = normalize(host);
        return h == null ? null : new Authority(h, p);
    }

    /**
     * Checks a configured allowed host and returns it trimmed and in lower case, as written (the
     * boundary compares comparable forms; messages show what the operator wrote).
     *
     * @throws InvalidArgumentException when it is not a host name or IP address, or carries a port or wildcard
     */
    static String checkAllowed(String host) {
        String h = host == null ? "" : host.trim();
        if (normalize(h) == null) {
            throw new InvalidArgumentException("allowed host '" + host + "' is not a host name or IP address; give a name "
                    + "such as build-box.lan or an address such as 192.168.1.20, without a port, scheme or wildcard "
                    + "(any port is served)");
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** How a normalized name is written in a Host header or URL: IPv6 in brackets. */
    static String display(String normalized) {
        return normalized.indexOf(':') >= 0 ? "[" + normalized + "]" : normalized;
    }
}
