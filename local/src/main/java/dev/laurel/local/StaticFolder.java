package dev.laurel.local;

import dev.laurel.api.Response;
import dev.laurel.domain.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A folder of static files on the classpath served under a path: the dashboard at {@code /dashboard/}
 * (folder {@code dashboard/}), the wallet widget at {@code /widget/} ({@code widget/}) and the demo
 * shop's pages at {@code /demo/} ({@code demo/}); the same files deploy as they are to any static
 * host. Only GET and HEAD; {@code /dashboard} redirects to {@code /dashboard/} so the page's
 * relative links work. A path is served only when every segment is a plain name (letters, digits,
 * {@code . _ -}, not starting with a dot: no {@code ..}, no encoded characters) and its extension
 * has a type below, so nothing else on the classpath can be reached. The versioned {@code vendor/}
 * folder is cached for a year; the rest revalidates with its ETag (a hash of the content).
 */
final class StaticFolder {
    static final String DASHBOARD = "/dashboard";
    static final String WIDGET = "/widget";
    static final String DEMO = "/demo";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";

    private record File(byte[] bytes, String type, String etag) {
    }

    private final String path;
    private final String folder;
    private final List<Map.Entry<String, String>> extraHeaders;
    private final ClassLoader loader;
    /** The files read so far (misses are not kept, so unknown names cannot grow it). */
    private final Map<String, File> files = new ConcurrentHashMap<>();

    /**
     * The files of classpath folder {@code folder} (e.g. {@code "dashboard/"}) at {@code path} (e.g.
     * {@code "/dashboard"}), each answer with {@code extraHeaders} too.
     */
    StaticFolder(String path, String folder, List<Map.Entry<String, String>> extraHeaders) {
        this(path, folder, extraHeaders, StaticFolder.class.getClassLoader());
    }

    StaticFolder(String path, String folder, List<Map.Entry<String, String>> extraHeaders, ClassLoader loader) {
        this.path = path;
        this.folder = folder;
        this.extraHeaders = List.copyOf(extraHeaders);
        this.loader = loader;
    }

    /** The dashboard at /dashboard/. */
    static StaticFolder dashboard() {
        return new StaticFolder(DASHBOARD, "dashboard/", List.of());
    }

    /**
     * The wallet widget at /widget/: a script any shop's page may load, also as a module from
     * another origin (so CORS allows every origin for these public files).
     */
    static StaticFolder widget() {
        return new StaticFolder(WIDGET, "widget/", List.of(Map.entry("access-control-allow-origin", "*"),
                Map.entry("cross-origin-resource-policy", "cross-origin")));
    }

    /** The demo shop's pages at /demo/ (local runner only). */
    static StaticFolder demo() {
        return new StaticFolder(DEMO, "demo/", List.of());
    }

    boolean handles(String requestPath) {
        return requestPath.equals(path) || requestPath.startsWith(path + "/");
    }

    /** Answers a request for {@code path} ({@link #handles} it); {@code ifNoneMatch} may be null. */
    HttpApi.Response serve(String method, String requestPath, String ifNoneMatch) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return error(new Refusal(Refusal.Code.METHOD_NOT_ALLOWED, "the files of " + path + "/ answer GET and HEAD"),
                    List.of(Map.entry("allow", "GET, HEAD")));
        }
        if (requestPath.equals(path)) {
            return new HttpApi.Response(308, List.of(Map.entry("location", path + "/"), Map.entry("cache-control", REVALIDATE),
                    Map.entry("content-type", "text/plain; charset=utf-8")), ("see " + path + "/\n").getBytes(StandardCharsets.UTF_8));
        }
        String relative = requestPath.substring(path.length() + 1);
        Optional<File> found = relative.isEmpty() ? file("index.html") : (plain(relative) ? file(relative) : Optional.empty());
        if (found.isEmpty()) {
            return error(Refusal.notFound("file " + requestPath), List.of());
        }
        File f = found.get();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("etag", f.etag()));
        headers.add(Map.entry("cache-control", relative.startsWith("vendor/") ? IMMUTABLE : REVALIDATE));
        headers.add(Map.entry("x-content-type-options", "nosniff"));
        headers.add(Map.entry("referrer-policy", "no-referrer"));
        headers.addAll(extraHeaders);
        if (f.type().startsWith("text/html")) {
            // the page carries its own policy in a meta tag; framing can only be refused by a header
            headers.add(Map.entry("content-security-policy", "frame-ancestors 'none'"));
            headers.add(Map.entry("x-frame-options", "DENY"));
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, f.etag())) {
            return new HttpApi.Response(304, headers, new byte[0]);
        }
        headers.add(Map.entry("content-type", f.type()));
        return new HttpApi.Response(200, headers, f.bytes());
    }

    /** Every segment a plain name, and the last one's extension a served type. */
    static boolean plain(String relative) {
        String[] segments = relative.split("/", -1);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return false;
            }
        }
        return TYPES.containsKey(extension(segments[segments.length - 1]));
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private Optional<File> file(String relative) {
        File cached = files.get(relative);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<File> loaded = load(relative);
        loaded.ifPresent(f -> files.put(relative, f));
        return loaded;
    }

    private Optional<File> load(String relative) {
        try (InputStream in = loader.getResourceAsStream(folder + relative)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return Optional.of(new File(bytes, TYPES.get(extension(relative)), "\"" + hash.substring(0, 32) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + folder + relative, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static HttpApi.Response error(Refusal refusal, List<Map.Entry<String, String>> extra) {
        Response r = Response.error(refusal);
        List<Map.Entry<String, String>> headers = new ArrayList<>(extra);
        headers.add(Map.entry("content-type", "application/json"));
        return new HttpApi.Response(r.status(), headers, r.body().getBytes(StandardCharsets.UTF_8));
    }
}
