package dev.reclaim.server;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Who may talk to the server, decided from a request's headers before any route runs; the rules
 * hold with and without tokens, because a browser attaches neither a token nor its absence to a
 * page's intent:
 *
 * <ol>
 *   <li>the {@code Host} header names this server: its bind address, on loopback also
 *   {@code localhost}, {@code 127.0.0.1} and {@code [::1]}, on a wildcard bind every address of
 *   this machine, the public URL's host and the allowed hosts (any port, for tunnels and proxies).
 *   Anything else is 421: a page on a rebinding DNS name reaches the server under that name;</li>
 *   <li>an {@code Origin}, when sent, is the server's own: {@code http://} plus the Host header, or
 *   the public URL's origin, else 403 ({@code null} included);</li>
 *   <li>a request that a browser marks as coming from another site ({@code Sec-Fetch-Site} cross-site
 *   or same-site, the latter being another port of the same machine) is 403, except a top-level
 *   navigation with GET or HEAD to one of the web UI's files (a link to the UI), never to the API
 *   or the other routes;</li>
 *   <li>every method but GET, HEAD, OPTIONS and TRACE carries {@code Content-Type: application/json},
 *   bodiless or not, else 415: a page can send a cross-origin request without asking first only
 *   with a form's content types, and this closes that door even for a browser that sends no Origin.</li>
 * </ol>
 */
final class TrustBoundary {
    /** Names every loopback server answers to, in the comparable form of {@link HostNames}. */
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final int MAX_ECHO = 100;

    /** Why a request is refused: status, the API's error code, and what to do. */
    record Refusal(int status, String code, String message) {
    }

    private final Set<String> hosts;
    private final List<String> shownHosts;
    private final URI publicOrigin;
    private final Predicate<String> uiFile;
    /** True for {@code METHOD path} of a route whose body is raw bytes ({@code application/octet-stream}). */
    private volatile Predicate<String> byteBody = r -> false;

    private TrustBoundary(Set<String> hosts, List<String> shownHosts, URI publicOrigin, Predicate<String> uiFile) {
        this.hosts = Set.copyOf(hosts);
        this.shownHosts = List.copyOf(shownHosts);
        this.publicOrigin = publicOrigin;
        this.uiFile = uiFile;
    }

    /**
     * The boundary of a server with these settings (the bind address given is the one it listens on).
     *
     * @param uiFile true for a decoded, normalized path that names one of the web UI's files ({@code /} included)
     */
    static TrustBoundary of(ServerSettings settings, String bind, Predicate<String> uiFile) {
        Set<String> hosts = new LinkedHashSet<>();
        List<String> shown = new ArrayList<>();
        InetAddress bound = resolve(bind);
        boolean wildcard = bound != null && bound.isAnyLocalAddress();
        if (!wildcard) {
            add(hosts, shown, bind);
            if (bound != null) {
                add(hosts, shown, bound.getHostAddress());
            }
        }
        if (wildcard || bound != null && bound.isLoopbackAddress()) {
            LOOPBACK_NAMES.forEach(n -> add(hosts, shown, n));
        }
        if (wildcard) {
            for (InetAddress a : localAddresses()) {
                add(hosts, shown, a.getHostAddress());
            }
        }
        URI origin = null;
        if (settings.publicUrl() != null) {
            URI u = settings.publicUrl();
            add(hosts, shown, u.getHost());
            origin = origin(u.getScheme(), u.getHost(), u.getPort());
        }
        settings.allowedHosts().forEach(h -> add(hosts, shown, h));
        return new TrustBoundary(hosts, shown, origin, uiFile);
    }

    private static void add(Set<String> hosts, List<String> shown, String host) {
        String spelled = host.replaceFirst("%.*$", "").toLowerCase(Locale.ROOT);
        String n = HostNames.normalize(spelled);
        if (n != null && hosts.add(n)) {
            // Shown as the operator or the loopback list spells it ([::1], not [0:0:0:0:0:0:0:1]).
            shown.add(spelled.indexOf(':') >= 0 && !spelled.startsWith("[") ? "[" + spelled + "]" : spelled);
        }
    }

    private static InetAddress resolve(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static List<InetAddress> localAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(n.getInetAddresses()));
            }
        } catch (SocketException e) {
            // No interface list: the loopback names and the configured hosts still apply.
        }
        return out;
    }

    /** The host names this server answers to, as written in messages. */
    List<String> hosts() {
        return shownHosts;
    }

    /**
     * Checks a request.
     *
     * @param method     its method
     * @param targetHost the host of the request target as the server parsed it: from an absolute
     *                   target ({@code GET http://name/path}) when there is one, else from the Host header
     * @param path       the decoded, normalized path (null when it cannot be normalized)
     * @param headers    every value of a header, by name (case-insensitive)
     * @return null when the request may go on to its route
     */
    /**
     * Also accepts {@code Content-Type: application/octet-stream} on the requests {@code routes} says
     * ({@code METHOD path}, e.g. an upload). Like JSON it is no type a form or a simple cross-site
     * request can carry: a browser asks the server first (CORS preflight), which it never allows.
     */
    TrustBoundary acceptingBytes(Predicate<String> routes) {
        byteBody = routes;
        return this;
    }

    Refusal check(String method, String targetHost, String path, Function<String, List<String>> headers) {
        List<String> host = headers.apply("Host");
        HostNames.Authority authority = host.size() == 1 ? HostNames.authority(host.get(0)) : null;
        String target = targetHost == null ? null : HostNames.normalize(targetHost);
        boolean targetOk = targetHost == null || target != null && hosts.contains(target);
        if (authority == null || !hosts.contains(authority.host()) || !targetOk) {
            String named = host.isEmpty() ? "no host" : "host '" + echo(targetOk ? String.join(", ", host) : targetHost) + "'";
            // The names it does answer to are not listed: they would tell a probing page what to try
            // next. The operator sees them when the server starts.
            return new Refusal(421, Errors.WRONG_HOST, "this server does not answer to " + named + ". If you reach it "
                    + "under another name, start it with --allowed-host NAME (or --public-url URL behind a proxy); the "
                    + "names it answers to are printed when it starts. A page of another site that reaches it through "
                    + "its own DNS name is refused this way");
        }
        List<String> origin = headers.apply("Origin");
        if (!origin.isEmpty() && (origin.size() > 1 || !ownOrigin(origin.get(0), authority))) {
            return new Refusal(403, Errors.CROSS_ORIGIN, "requests from origin '" + echo(String.join(", ", origin))
                    + "' are refused: only pages this server serves itself (" + self(authority) + ") may call it. "
                    + "Scripts and tools send no Origin header");
        }
        String site = first(headers, "Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            if (!topLevelNavigation(method, headers)) {
                return new Refusal(403, Errors.CROSS_ORIGIN, "the browser says this request comes from another site "
                        + "(Sec-Fetch-Site: " + echo(site) + "); only pages this server serves itself (" + self(authority)
                        + ") may call it");
            }
            if (path == null || !uiFile.test(path)) {
                return new Refusal(403, Errors.CROSS_ORIGIN, "a link on another site may open this server's web UI ("
                        + self(authority) + "/), not its API or other routes; open the UI and go from there");
            }
        }
        if (!SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            List<String> type = headers.apply("Content-Type");
            boolean bytes = type.size() == 1 && isMedia(type.get(0), Route.BYTES) && path != null
                    && byteBody.test(method.toUpperCase(Locale.ROOT) + " " + path);
            if (!bytes && (type.size() != 1 || !isJson(type.get(0)))) {
                return new Refusal(415, Errors.UNSUPPORTED_MEDIA_TYPE, method + " requests must carry 'Content-Type: "
                        + "application/json', also when they have no body" + (type.isEmpty() ? "" : " (got '"
                        + echo(String.join(", ", type)) + "')") + "; other content types are what other web sites can make "
                        + "a browser send here");
            }
        }
        return null;
    }

    private static boolean topLevelNavigation(String method, Function<String, List<String>> headers) {
        return (method.equals("GET") || method.equals("HEAD"))
                && "navigate".equalsIgnoreCase(first(headers, "Sec-Fetch-Mode"))
                && "document".equalsIgnoreCase(first(headers, "Sec-Fetch-Dest"));
    }

    private static String first(Function<String, List<String>> headers, String name) {
        List<String> v = headers.apply(name);
        return v.isEmpty() ? null : v.get(0).trim();
    }

    private static boolean isJson(String contentType) {
        return isMedia(contentType, "application/json");
    }

    private static boolean isMedia(String contentType, String expected) {
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return media.equalsIgnoreCase(expected);
    }

    private boolean ownOrigin(String value, HostNames.Authority host) {
        URI o;
        try {
            o = new URI(value.trim());
        } catch (URISyntaxException e) {
            return false;
        }
        if (o.getScheme() == null || o.getRawAuthority() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()
                || o.getRawQuery() != null || o.getRawFragment() != null) {
            return false;
        }
        URI normalized = origin(o.getScheme(), o.getHost(), o.getPort());
        if (normalized == null) {
            return false;
        }
        if (normalized.equals(publicOrigin)) {
            return true;
        }
        return normalized.equals(origin("http", HostNames.display(host.host()), host.port()));
    }

    /** An origin with its default port made explicit, so {@code http://h} and {@code http://h:80} compare equal. */
    private static URI origin(String scheme, String host, int port) {
        if (scheme == null || host == null) {
            return null;
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            return null;
        }
        String h = HostNames.normalize(host);
        if (h == null) {
            return null;
        }
        int p = port >= 0 ? port : s.equals("https") ? 443 : 80;
        try {
            return new URI(s, null, HostNames.display(h), p, null, null, null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String self(HostNames.Authority host) {
        return "http://" + HostNames.display(host.host()) + (host.port() >= 0 ? ":" + host.port() : "");
    }

    /** Text from a request, cut and stripped of control characters, for an error message. */
    private static String echo(String text) {
        String t = text.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return t.length() <= MAX_ECHO ? t : t.substring(0, MAX_ECHO) + "…";
    }
}
