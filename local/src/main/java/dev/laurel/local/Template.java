package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the local runner needs from {@code template.yaml}, read from the file itself so the
 * template stays the one truth: the DynamoDB tables, the functions and their {@code Handler},
 * every {@code HttpApi} route, the Lambda authorizers of the HTTP APIs and the
 * {@code Schedule}/{@code ScheduleV2} events.
 *
 * <p>CloudFormation's short-form tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}) are read by
 * Jackson's YAML parser as their plain value ({@code !GetAtt AuthorizerFunction.Arn} becomes the
 * text {@code AuthorizerFunction.Arn}); the long forms ({@code Ref:}, {@code Fn::GetAtt:}) are
 * understood too.
 */
public final class Template {
    /** SAM's implicit HTTP API, used by {@code HttpApi} events without {@code ApiId}. */
    public static final String IMPLICIT_HTTP_API = "ServerlessHttpApi";
    /** The route key of the catch-all route. */
    public static final String DEFAULT_ROUTE = "$default";

    /** An {@code AWS::DynamoDB::Table} resource. */
    public record Table(String logicalId, JsonNode properties) {
    }

    /** A function: {@code Handler} is {@code package.Class::method} (the method defaults to {@code handleRequest}). */
    public record Function(String logicalId, String handlerClass, String handlerMethod, int timeoutSeconds, int memoryMb) {
    }

    /**
     * A route of an HTTP API. {@code method} is upper case or {@code ANY}; {@code path} may hold
     * {@code {name}} parameters and a final greedy {@code {name+}}, or is {@code $default}.
     * {@code authorizer} is null for a route without one.
     */
    public record Route(String method, String path, String function, String event, String api, Authorizer authorizer) {
        public String key() {
            return DEFAULT_ROUTE.equals(path) ? DEFAULT_ROUTE : method + " " + path;
        }
    }

    /**
     * A Lambda authorizer of an HTTP API. {@code identityHeaders}/{@code identityQueryStrings}
     * are the identity sources (a request missing one answers 401 without calling the
     * authorizer); {@code ttlSeconds} is {@code ReauthorizeEvery} (0: no caching).
     */
    public record Authorizer(String name, String function, List<String> identityHeaders, List<String> identityQueryStrings,
                             int ttlSeconds, String payloadVersion, boolean simpleResponses, String problem) {
    }

    /**
     * A {@code Schedule} (EventBridge rule) or {@code ScheduleV2} (EventBridge Scheduler) event.
     * {@code name} is what {@code POST /local/schedules/{name}/run} takes: the function's logical
     * id without its {@code Function} suffix in kebab case ({@code ExpiryFunction} is
     * {@code expiry}), followed by the event's name when the function has several schedules.
     */
    public record Schedule(String name, String function, String event, String type, String expression, ZoneId zone,
                           boolean enabled, String input) {
    }

    private final Path file;
    /** The template's parameters: a {@code !Ref} to one reads as its {@code Default}. */
    private final JsonNode parameters;
    private final List<Table> tables = new ArrayList<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<Schedule> schedules = new ArrayList<>();
    private final Map<String, String> tableEnvironment = new LinkedHashMap<>();

    /** The functions a table's stream feeds: the table's logical id → the functions' (one event source mapping each). */
    private final Map<String, List<String>> streamFunctions = new LinkedHashMap<>();

    /** The functions the stream of table {@code tableLogicalId} feeds ({@code DynamoDB} events), in template order. */
    public List<String> streamFunctions(String tableLogicalId) {
        return List.copyOf(streamFunctions.getOrDefault(tableLogicalId, List.of()));
    }

    private Template(Path file, JsonNode root) {
        this.file = file;
        this.parameters = root.path("Parameters");
        JsonNode resources = root.path("Resources");
        JsonNode globals = root.path("Globals");
        JsonNode fnGlobals = globals.path("Function");
        // functions first: routes and authorizers point at them
        for (var it = resources.fields(); it.hasNext(); ) {
            var e = it.next();
            String type = e.getValue().path("Type").asText();
            if (type.equals("AWS::Serverless::Function") || type.equals("AWS::Lambda::Function")) {
                JsonNode p = e.getValue().path("Properties");
                String handler = text(p.get("Handler"), text(fnGlobals.get("Handler"), null));
                if (handler == null) {
                    continue; // an image or zip function Laurel local cannot load
                }
                int sep = handler.indexOf("::");
                String cls = sep < 0 ? handler : handler.substring(0, sep);
                String method = sep < 0 ? "handleRequest" : handler.substring(sep + 2);
                int timeout = p.path("Timeout").asInt(fnGlobals.path("Timeout").asInt(3));
                int memory = p.path("MemorySize").asInt(fnGlobals.path("MemorySize").asInt(128));
                functions.put(e.getKey(), new Function(e.getKey(), cls, method, timeout, memory));
            } else if (type.equals("AWS::DynamoDB::Table")) {
                tables.add(new Table(e.getKey(), e.getValue().path("Properties")));
            }
        }
        fnGlobals.path("Environment").path("Variables").fields()
                .forEachRemaining(v -> tableEnvironment.put(v.getKey(), ref(v.getValue())));
        Map<String, Map<String, Authorizer>> apiAuthorizers = new LinkedHashMap<>();
        Map<String, String> apiDefaults = new LinkedHashMap<>();
        JsonNode httpGlobals = globals.path("HttpApi");
        for (var it = resources.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().path("Type").asText().equals("AWS::Serverless::HttpApi")) {
                readAuth(e.getKey(), e.getValue().path("Properties").path("Auth"), httpGlobals.path("Auth"), apiAuthorizers, apiDefaults);
            }
        }
        readAuth(IMPLICIT_HTTP_API, httpGlobals.path("Auth"), httpGlobals.path("Auth"), apiAuthorizers, apiDefaults);
        for (var it = resources.fields(); it.hasNext(); ) {
            var e = it.next();
            String fn = e.getKey();
            if (!functions.containsKey(fn)) {
                continue;
            }
            List<Schedule> own = new ArrayList<>();
            for (var evs = e.getValue().path("Properties").path("Events").fields(); evs.hasNext(); ) {
                var ev = evs.next();
                String type = ev.getValue().path("Type").asText();
                JsonNode p = ev.getValue().path("Properties");
                if (type.equals("HttpApi")) {
                    String api = p.has("ApiId") ? ref(p.get("ApiId")) : IMPLICIT_HTTP_API;
                    String path = text(p.get("Path"), DEFAULT_ROUTE);
                    String method = text(p.get("Method"), "ANY").toUpperCase(Locale.ROOT);
                    if (method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD")) {
                        method = "ANY";
                    }
                    String authName = text(p.path("Auth").get("Authorizer"), apiDefaults.get(api));
                    Authorizer auth = null;
                    if (authName != null && !authName.equals("NONE")) {
                        auth = apiAuthorizers.getOrDefault(api, Map.of()).get(authName);
                        if (auth == null) {
                            auth = new Authorizer(authName, null, List.of(), List.of(), 0, "2.0", true,
                                    "authorizer " + authName + " is not declared on " + api);
                        }
                    }
                    routes.add(new Route(method, path, fn, ev.getKey(), api, auth));
                } else if (type.equals("DynamoDB")) {
                    // a table's stream (!GetAtt Table.StreamArn reads as "Table.StreamArn")
                    streamFunctions.computeIfAbsent(ref(p.get("Stream")), k -> new ArrayList<>()).add(fn);
                } else if (type.equals("Schedule") || type.equals("ScheduleV2")) {
                    boolean v2 = type.equals("ScheduleV2");
                    String expression = text(v2 ? p.get("ScheduleExpression") : p.get("Schedule"), "");
                    boolean enabled = v2 ? !"DISABLED".equalsIgnoreCase(text(p.get("State"), "ENABLED"))
                            : p.path("Enabled").asBoolean(!"DISABLED".equalsIgnoreCase(text(p.get("State"), "ENABLED")));
                    ZoneId zone = ZoneId.of("UTC");
                    String tz = text(p.get("ScheduleExpressionTimezone"), null);
                    if (v2 && tz != null) {
                        zone = ZoneId.of(tz);
                    }
                    own.add(new Schedule(null, fn, ev.getKey(), type, expression, zone, enabled, text(p.get("Input"), null)));
                }
            }
            String base = kebab(fn.endsWith("Function") && fn.length() > 8 ? fn.substring(0, fn.length() - 8) : fn);
            for (int i = 0; i < own.size(); i++) {
                Schedule s = own.get(i);
                String name = i == 0 ? base : base + "-" + kebab(s.event());
                schedules.add(new Schedule(name, s.function(), s.event(), s.type(), s.expression(), s.zone(), s.enabled(), s.input()));
            }
        }
    }

    /** Reads and interprets a template file. */
    public static Template read(Path file) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root == null || !root.path("Resources").isObject()) {
                throw new IllegalArgumentException(file + " has no Resources");
            }
            return new Template(file, root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void readAuth(String api, JsonNode auth, JsonNode globalAuth, Map<String, Map<String, Authorizer>> out,
                          Map<String, String> defaults) {
        JsonNode authorizers = auth.path("Authorizers").isObject() ? auth.path("Authorizers") : globalAuth.path("Authorizers");
        Map<String, Authorizer> byName = new LinkedHashMap<>();
        for (var it = authorizers.fields(); it.hasNext(); ) {
            var a = it.next();
            JsonNode p = a.getValue();
            String problem = null;
            String fn = null;
            if (p.has("JwtConfiguration")) {
                problem = "JWT authorizers are not supported by Laurel local";
            } else {
                fn = ref(p.get("FunctionArn"));
                if (fn != null && !functions.containsKey(fn) && fn.contains("Alias")) {
                    // SnapStart: !Ref <Function>Alias<name>, the alias SAM makes for AutoPublishAlias
                    String owner = fn.substring(0, fn.lastIndexOf("Alias"));
                    fn = functions.containsKey(owner) ? owner : fn;
                }
                if (fn == null || !functions.containsKey(fn)) {
                    problem = "authorizer " + a.getKey() + " names no function of this template (" + fn + ")";
                }
            }
            List<String> headers = new ArrayList<>();
            p.path("Identity").path("Headers").forEach(h -> headers.add(h.asText()));
            List<String> queries = new ArrayList<>();
            p.path("Identity").path("QueryStrings").forEach(q -> queries.add(q.asText()));
            int ttl = number(p.path("Identity").path("ReauthorizeEvery"), 0);
            String version = text(p.get("AuthorizerPayloadFormatVersion"), "2.0");
            if (!version.equals("2.0") && problem == null) {
                problem = "authorizer payload format " + version + " is not supported by Laurel local (use 2.0)";
            }
            boolean simple = p.path("EnableSimpleResponses").asBoolean(false);
            byName.put(a.getKey(), new Authorizer(a.getKey(), fn, List.copyOf(headers), List.copyOf(queries), ttl, version, simple, problem));
        }
        out.put(api, byName);
        String def = text(auth.get("DefaultAuthorizer"), text(globalAuth.get("DefaultAuthorizer"), null));
        if (def != null) {
            defaults.put(api, def);
        }
    }

    /** A number, or a {@code !Ref} to a parameter (read as its text: its {@code Default}). */
    private int number(JsonNode n, int fallback) {
        if (n.isTextual() && parameters.path(n.asText()).has("Default")) {
            return parameters.path(n.asText()).path("Default").asInt(fallback);
        }
        return n.asInt(fallback);
    }

    /** The logical id a {@code !Ref X}, {@code !GetAtt X.Arn}, {@code Ref:} or {@code Fn::GetAtt:} points at. */
    static String ref(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            String s = n.asText();
            int dot = s.indexOf('.');
            return dot < 0 ? s : s.substring(0, dot);
        }
        if (n.isArray() && n.size() > 0) {
            return ref(n.get(0));
        }
        if (n.has("Ref")) {
            return ref(n.get("Ref"));
        }
        if (n.has("Fn::GetAtt")) {
            return ref(n.get("Fn::GetAtt"));
        }
        return null;
    }

    private static String text(JsonNode n, String fallback) {
        return n == null || n.isNull() || n.isMissingNode() || n.asText().isEmpty() ? fallback : n.asText();
    }

    /** {@code PointsExpiry} → {@code points-expiry}. */
    static String kebab(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && (Character.isLowerCase(camel.charAt(i - 1)) || Character.isDigit(camel.charAt(i - 1))
                        || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1)) && Character.isUpperCase(camel.charAt(i - 1))))) {
                    b.append('-');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public Path file() {
        return file;
    }

    public List<Table> tables() {
        return Collections.unmodifiableList(tables);
    }

    public Map<String, Function> functions() {
        return Collections.unmodifiableMap(functions);
    }

    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    public List<Schedule> schedules() {
        return Collections.unmodifiableList(schedules);
    }

    public Optional<Schedule> schedule(String name) {
        return schedules.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The table the functions use: the one {@code Globals.Function.Environment.Variables.TABLE_NAME}
     * refers to, else the only table.
     */
    public Table mainTable() {
        String ref = tableEnvironment.get("TABLE_NAME");
        for (Table t : tables) {
            if (t.logicalId().equals(ref)) {
                return t;
            }
        }
        if (tables.size() == 1) {
            return tables.get(0);
        }
        throw new IllegalStateException(file + " declares " + tables.size() + " tables and no Globals TABLE_NAME: which one is Laurel's?");
    }
}
