package dev.skiff.testing.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.skiff.testing.internal.api.ApiException;
import dev.skiff.testing.internal.api.ApiServer;
import dev.skiff.testing.internal.api.Change;
import dev.skiff.testing.internal.api.FieldSelector;
import dev.skiff.testing.internal.api.LabelSelector;
import dev.skiff.testing.internal.api.ResourceType;
import dev.skiff.testing.internal.api.ResourceTypes;
import dev.skiff.testing.internal.common.PodPhases;
import dev.skiff.testing.internal.engine.Engine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the Kubernetes REST API onto the {@link ApiServer}: paths, verbs, query parameters, watch
 * streams and discovery. Nothing else lives here. Served by the JDK's built-in HTTP server on a
 * loopback port.
 */
public final class HttpAdapter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpAdapter.class);

    static {
        // The JDK's server writes headers and body separately; with Nagle's algorithm on, each
        // answer then waits for the client's delayed ACK (40 ms on Linux). The property is read
        // once, when the first server is created, so it is set before that (unless the user chose).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    static final String VERSION_MINOR = "34";

    private final Engine engine;
    /** Set by {@link #start(ApiServer)}, before the server serves anything. */
    private ApiServer api;

    private final Extensions extensions;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Watchers watchers = new Watchers();

    /** Hooks the cluster provides beyond the API server: pod logs, faults. */
    public interface Extensions {
        /** Returns the log text of a pod's container, or null when there is none. */
        @Nullable
        String podLog(
                String namespace, String pod, @Nullable String container, boolean previous, @Nullable Long tailLines);

        /**
         * Returns an injected response for this request, or null to serve it normally. May also
         * delay or drop the request; see the cluster's fault rules.
         */
        default @Nullable Fault fault(
                String verb, ResourceType type, @Nullable String namespace, @Nullable String name) {
            return null;
        }

        /** Records a served request for the request log. */
        default void served(String verb, String method, String path, int code) {}
    }

    /** An injected answer. */
    public record Fault(
            int code,
            @Nullable String retryAfterSeconds,
            long delayMillis,
            boolean dropConnection,
            boolean afterCommit) {}

    /**
     * Binds a loopback port, so that {@link #url()} is known; {@link #start(ApiServer)} serves the
     * API server there. Connections made in between wait in the backlog.
     */
    public HttpAdapter(Engine engine, Extensions extensions) throws IOException {
        this.engine = engine;
        this.extensions = extensions;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "skiff-cluster-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts serving an API server. */
    public void start(ApiServer api) {
        this.api = api;
        engine.call(() -> {
            api.store().addListener(watchers::dispatch);
            return null;
        });
        server.start();
    }

    /** Returns the base URL, such as {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Closes the open watches of a kind (all kinds when null); returns how many. */
    public int closeWatches(@Nullable ResourceType type) {
        return watchers.closeAll(type);
    }

    /** Returns how many watches are open. */
    public int openWatches() {
        return watchers.size();
    }

    @Override
    public void close() {
        watchers.closeAll(null);
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        URI uri = ex.getRequestURI();
        String path = uri.getRawPath();
        Map<String, String> query = parseQuery(uri.getRawQuery());
        int code = 500;
        try {
            if (path.equals("/version") || path.equals("/version/")) {
                code = sendJson(ex, 200, versionJson());
            } else if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez")) {
                code = send(ex, 200, "text/plain", "ok");
            } else if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
                code = sendJson(ex, 200, OpenApi.index());
            } else if (path.startsWith("/openapi/v3/")) {
                String doc = OpenApi.document(path.substring("/openapi/v3/".length()));
                code = doc == null
                        ? sendStatus(ex, ApiException.noSuchPath(path).status())
                        : sendJson(ex, 200, doc);
            } else if (path.equals("/api") || path.equals("/api/")) {
                code = sendJson(ex, 200, Discovery.apiVersions(url()));
            } else if (path.equals("/apis") || path.equals("/apis/")) {
                code = sendJson(ex, 200, Discovery.apiGroupList(api.servedByGroupVersion()));
            } else if (path.equals("/api/v1")) {
                code = sendJson(ex, 200, Discovery.resourceList(api.servedByGroupVersion(), "v1"));
            } else if (path.startsWith("/apis/") && path.split("/").length == 3) {
                String group = path.split("/")[2];
                String doc = Discovery.apiGroup(api.servedByGroupVersion(), group);
                code = doc == null
                        ? sendStatus(ex, ApiException.noSuchPath(path).status())
                        : sendJson(ex, 200, doc);
            } else if (path.startsWith("/apis/") && path.split("/").length == 4) {
                String[] p = path.split("/");
                String doc = Discovery.resourceListOrNull(api.servedByGroupVersion(), p[2] + "/" + p[3]);
                code = doc == null
                        ? sendStatus(ex, ApiException.noSuchPath(path).status())
                        : sendJson(ex, 200, doc);
            } else {
                code = resource(ex, method, path, query);
            }
        } catch (ApiException e) {
            code = sendStatus(ex, e.status());
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
            code = 499;
        } catch (RuntimeException e) {
            LOG.warn("in-memory API server failed on {} {}", method, path, e);
            Status s = ApiException.badRequest(String.valueOf(e.getMessage())).status();
            s.setCode(500);
            s.setReason("InternalError");
            s.setMessage("Internal error occurred: " + e);
            code = sendStatus(ex, s);
        } finally {
            if (code != STREAMED) {
                extensions.served(verbOf(method, path, query), method, path, code);
            }
            ex.close();
        }
    }

    String verbOf(String method, String path, Map<String, String> query) {
        Target t = parse(path);
        boolean watch = "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
        return switch (method) {
            case "GET" -> t == null ? "get" : t.name() == null ? (watch ? "watch" : "list") : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> t != null && t.name() == null ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A parsed resource path. */
    record Target(
            ResourceType type,
            @Nullable String namespace,
            @Nullable String name,
            @Nullable String subresource) {}

    /**
     * The manager of a write that is not an apply: the {@code fieldManager} parameter, else the
     * User-Agent up to its first slash (as the API server derives it, such as {@code kubectl} or
     * {@code fabric8-kubernetes-client}), at most 128 characters.
     */
    static String fieldManager(@Nullable String param, @Nullable String userAgent) {
        if (param != null && !param.isEmpty()) {
            return param;
        }
        String ua = userAgent == null ? "" : userAgent;
        int slash = ua.indexOf('/');
        String prefix = slash >= 0 ? ua.substring(0, slash) : ua;
        return prefix.length() > 128 ? prefix.substring(0, 128) : prefix;
    }

    private @Nullable Target parse(String path) {
        String[] seg = path.split("/");
        // seg[0] is ""
        int i;
        String apiVersion;
        if (seg.length > 2 && seg[1].equals("api")) {
            apiVersion = seg[2];
            i = 3;
        } else if (seg.length > 3 && seg[1].equals("apis")) {
            apiVersion = seg[2] + "/" + seg[3];
            i = 4;
        } else {
            return null;
        }
        List<String> rest = new ArrayList<>();
        for (int k = i; k < seg.length; k++) {
            rest.add(URLDecoder.decode(seg[k], StandardCharsets.UTF_8));
        }
        if (rest.isEmpty()) {
            return null;
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces")
                && rest.size() >= 3
                && !(apiVersion.equals("v1")
                        && rest.size() == 3
                        && (rest.get(2).equals("status") || rest.get(2).equals("finalize")))) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        var type = api.findType(apiVersion, rest.get(0));
        if (type.isEmpty()) {
            return null;
        }
        String name = rest.size() > 1 ? rest.get(1) : null;
        String sub = rest.size() > 2 ? rest.get(2) : null;
        if (rest.size() > 3) {
            return null;
        }
        if (namespace != null && !type.get().namespaced()) {
            return null;
        }
        return new Target(type.get(), namespace, name, sub);
    }

    private int resource(HttpExchange ex, String method, String path, Map<String, String> q) throws IOException {
        Target t = parse(path);
        if (t == null) {
            return sendStatus(ex, ApiException.noSuchPath(path).status());
        }
        ResourceType type = t.type();
        String verb = verbOf(method, path, q);
        Fault fault = extensions.fault(verb, type, t.namespace(), t.name());
        if (fault != null && fault.code() == 0 && !fault.dropConnection()) {
            // a delay alone: the request is then served as usual
            pause(fault.delayMillis());
            fault = null;
        }
        if (fault != null && !fault.afterCommit()) {
            return injectFault(ex, fault);
        }
        boolean dryRun = "All".equals(q.get("dryRun"));
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        boolean applyPatch = contentType != null && contentType.startsWith("application/apply-patch");
        ApiServer.WriteOptions writeOptions = new ApiServer.WriteOptions(
                dryRun,
                applyPatch
                        ? q.get("fieldManager")
                        : fieldManager(
                                q.get("fieldManager"), ex.getRequestHeaders().getFirst("User-Agent")),
                "true".equals(q.get("force")));
        String sub = t.subresource();
        Object result;
        int okCode = 200;
        switch (verb) {
            case "watch" -> {
                return watch(ex, t, q);
            }
            case "list" -> {
                LabelSelector labels = LabelSelector.parse(q.get("labelSelector"));
                FieldSelector fields = FieldSelector.parse(q.get("fieldSelector"), type);
                long limit = q.containsKey("limit") ? Long.parseLong(q.get("limit")) : 0;
                ApiServer.ListResult list = engine.call(() -> {
                    ListVersions.check(q, api.store());
                    return api.list(type, t.namespace(), labels, fields, limit, q.get("continue"));
                });
                if (Tables.wanted(ex.getRequestHeaders().getFirst("Accept"))) {
                    return sendJson(
                            ex,
                            200,
                            Tables.table(type, list.items(), list.resourceVersion(), api::now, api.serialization()));
                }
                return sendJson(ex, 200, listJson(type, list));
            }
            case "get" -> {
                if ("log".equals(sub) && type == ResourceTypes.PODS) {
                    return podLog(ex, t, q);
                }
                if ("scale".equals(sub) && Scales.supports(type)) {
                    return sendJson(
                            ex,
                            200,
                            engine.call(() -> Scales.get(api, type, t.namespace(), t.name()))
                                    .toString());
                }
                HasMetadata o = engine.call(() -> api.get(type, t.namespace(), t.name()));
                if (sub == null && Tables.wanted(ex.getRequestHeaders().getFirst("Accept"))) {
                    return sendJson(
                            ex,
                            200,
                            Tables.table(
                                    type, List.of(o), api.store().resourceVersion(), api::now, api.serialization()));
                }
                result = o;
            }
            case "create" -> {
                if (t.name() != null
                        && type == ResourceTypes.PODS
                        && ("binding".equals(sub) || "eviction".equals(sub))) {
                    String body = readBody(ex);
                    result = engine.call(() -> PodSubresources.handle(api, t.namespace(), t.name(), sub, body, dryRun));
                    okCode = 201;
                } else {
                    if (t.name() != null) {
                        return sendStatus(
                                ex,
                                ApiException.methodNotAllowed(
                                                "the server does not allow this method on the requested resource")
                                        .status());
                    }
                    HasMetadata body = decode(ex, type, q);
                    result = written(ex, () -> api.create(type, t.namespace(), body, writeOptions));
                    okCode = 201;
                }
            }
            case "update" -> {
                if ("scale".equals(sub) && Scales.supports(type)) {
                    var scale = api.serialization().unmarshal(readBody(ex), tools.jackson.databind.JsonNode.class);
                    return sendJson(
                            ex,
                            200,
                            engine.call(() -> Scales.update(api, type, t.namespace(), t.name(), scale, writeOptions))
                                    .toString());
                }
                if ("ephemeralcontainers".equals(sub) && type == ResourceTypes.PODS) {
                    String raw = readBody(ex);
                    result = written(
                            ex, () -> api.updateEphemeralContainers(t.namespace(), t.name(), null, raw, writeOptions));
                    break;
                }
                HasMetadata body = decode(ex, type, q);
                boolean status = "status".equals(sub);
                result = written(ex, () -> api.replace(type, t.namespace(), t.name(), body, status, writeOptions));
            }
            case "patch" -> {
                String raw = readBody(ex);
                if ("ephemeralcontainers".equals(sub) && type == ResourceTypes.PODS) {
                    String patchType = contentType == null ? "" : contentType;
                    result = written(
                            ex,
                            () -> api.updateEphemeralContainers(t.namespace(), t.name(), patchType, raw, writeOptions));
                    break;
                }
                if ("scale".equals(sub) && Scales.supports(type)) {
                    String patchType = contentType == null ? "" : contentType;
                    return sendJson(
                            ex,
                            200,
                            engine.call(() -> Scales.patch(
                                            api, type, t.namespace(), t.name(), patchType, raw, writeOptions))
                                    .toString());
                }
                // a JSON patch is a list of operations: its values are not checked
                String body = contentType == null || !contentType.startsWith("application/json-patch")
                        ? checkFields(ex, raw, type, q, null)
                        : raw;
                boolean status = "status".equals(sub);
                boolean existed = engine.call(() -> api.find(type, t.namespace(), t.name()) != null);
                result = written(
                        ex,
                        () -> api.patch(
                                type,
                                t.namespace(),
                                t.name(),
                                contentType == null ? "" : contentType,
                                body,
                                status,
                                writeOptions));
                okCode = existed ? 200 : 201;
            }
            case "delete" -> {
                ApiServer.DeleteOptions options = deleteOptions(ex, q);
                HasMetadata gone = engine.call(() -> api.delete(type, t.namespace(), t.name(), options));
                result = gone;
                if (gone.getMetadata().getDeletionTimestamp() != null
                        && api.find(type, t.namespace(), t.name()) != null) {
                    okCode = 202;
                }
            }
            case "deletecollection" -> {
                ApiServer.DeleteOptions options = deleteOptions(ex, q);
                LabelSelector labels = LabelSelector.parse(q.get("labelSelector"));
                FieldSelector fields = FieldSelector.parse(q.get("fieldSelector"), type);
                ApiServer.ListResult list = engine.call(() -> {
                    ApiServer.ListResult all = api.list(type, t.namespace(), labels, fields, 0, null);
                    for (HasMetadata o : all.items()) {
                        api.delete(
                                type,
                                o.getMetadata().getNamespace(),
                                o.getMetadata().getName(),
                                options);
                    }
                    return all;
                });
                return sendJson(ex, 200, listJson(type, list));
            }
            default -> {
                return sendStatus(
                        ex,
                        ApiException.methodNotAllowed("the server does not allow this method on the requested resource")
                                .status());
            }
        }
        if (fault != null) {
            return injectFault(ex, fault);
        }
        return sendJson(ex, okCode, api.serialization().asJson(result));
    }

    /**
     * Runs a client's write on the engine thread; the warnings admission gives for it become
     * {@code Warning} headers of the answer, whether the write succeeds or not.
     */
    private HasMetadata written(HttpExchange ex, java.util.function.Supplier<HasMetadata> write) {
        List<String> warnings = new java.util.ArrayList<>();
        try {
            return engine.call(() -> api.collectingWarnings(warnings, write));
        } finally {
            for (String w : warnings) {
                ex.getResponseHeaders().add("Warning", FieldValidation.warningHeader(w));
            }
        }
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int injectFault(HttpExchange ex, Fault fault) throws IOException {
        pause(fault.delayMillis());
        if (fault.dropConnection()) {
            // closing the exchange before any header was sent closes the connection: the client
            // sees it dropped without an answer
            ex.close();
            return 0;
        }
        Status s = ApiException.badRequest("injected").status();
        s.setCode(fault.code());
        s.setReason(
                switch (fault.code()) {
                    case 429 -> "TooManyRequests";
                    case 409 -> "Conflict";
                    case 503 -> "ServiceUnavailable";
                    case 504 -> "Timeout";
                    default -> "InternalError";
                });
        s.setMessage("injected fault: HTTP " + fault.code());
        if (fault.retryAfterSeconds() != null) {
            ex.getResponseHeaders().set("Retry-After", fault.retryAfterSeconds());
            var details = new io.fabric8.kubernetes.api.model.StatusDetails();
            details.setRetryAfterSeconds(Integer.parseInt(fault.retryAfterSeconds()));
            s.setDetails(details);
        }
        return sendStatus(ex, s);
    }

    /**
     * Applies the request's {@code fieldValidation} to a body: rejects unknown and duplicate fields
     * (Strict) or reports them in {@code Warning} headers (Warn); returns the body without the
     * unknown fields, as the API server's decoder drops them.
     *
     * @param decodeError the start of the error message for a rejected body, null for patches
     */
    private String checkFields(
            HttpExchange ex, String body, ResourceType type, Map<String, String> q, @Nullable String decodeError) {
        FieldValidation.Mode mode = FieldValidation.mode(q.get("fieldValidation"));
        String json = body;
        if (!body.stripLeading().startsWith("{")) {
            try {
                json = api.serialization().asJson(api.serialization().unmarshal(body, Map.class));
            } catch (RuntimeException e) {
                return body; // not YAML either: the decoder reports it
            }
        }
        if (api.customResources().isCustom(type)) {
            return body; // the schema prunes unknown fields of custom objects
        }
        List<String> problems = FieldValidation.problems(json, type.type());
        if (problems.isEmpty()) {
            return body;
        }
        if (mode == FieldValidation.Mode.STRICT) {
            String message = "strict decoding error: " + String.join(", ", problems);
            throw ApiException.badRequest(decodeError == null ? message : decodeError + message);
        }
        if (mode == FieldValidation.Mode.WARN) {
            for (String p : problems) {
                ex.getResponseHeaders().add("Warning", FieldValidation.warningHeader(p));
            }
        }
        return FieldValidation.prune(json, type.type());
    }

    private static ApiException unsupported(String contentType, @Nullable String why) {
        Status s = ApiException.unsupportedMediaType(contentType).status();
        s.setMessage((why == null ? "" : why + ": ")
                + "the body of the request was in an unknown format - accepted media types include: "
                + "application/json, application/yaml, " + Protobuf.MEDIA_TYPE + " (some kinds)");
        return ApiException.of(s);
    }

    private HasMetadata decode(HttpExchange ex, ResourceType type, Map<String, String> q) throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        String body;
        if (Protobuf.isProtobuf(contentType)) {
            // client-go's generated clients (kubectl create job, ...) always send built-in kinds so
            try (InputStream in = ex.getRequestBody()) {
                body = Protobuf.toJson(in.readAllBytes()).toString();
            } catch (IllegalArgumentException e) {
                throw unsupported(contentType, e.getMessage());
            }
        } else if (contentType != null && (contentType.contains("protobuf") || contentType.contains("cbor"))) {
            // client-go falls back to JSON after a 415 to a CBOR body
            readBody(ex);
            throw unsupported(contentType, null);
        } else {
            body = readBody(ex);
        }
        if (body.isBlank()) {
            throw ApiException.badRequest("the body of the request is empty");
        }
        String decodeError =
                type.kind() + " in version \"" + type.version() + "\" cannot be handled as a " + type.kind() + ": ";
        body = checkFields(ex, body, type, q, decodeError);
        HasMetadata object;
        try {
            object = api.serialization().unmarshal(body, type.type());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the object provided is unrecognized: " + e.getMessage());
        }
        String badQuantity = QuantityDecoding.firstError(object);
        if (badQuantity != null) {
            throw ApiException.badRequest(decodeError + badQuantity);
        }
        return object;
    }

    private ApiServer.DeleteOptions deleteOptions(HttpExchange ex, Map<String, String> q) throws IOException {
        String policy = q.get("propagationPolicy");
        Long grace = q.containsKey("gracePeriodSeconds") ? Long.valueOf(q.get("gracePeriodSeconds")) : null;
        boolean dryRun = "All".equals(q.get("dryRun"));
        String uid = null;
        String rv = null;
        if ("true".equals(q.get("orphanDependents"))) {
            policy = "Orphan";
        }
        String body = readBody(ex);
        if (!body.isBlank()) {
            io.fabric8.kubernetes.api.model.DeleteOptions o =
                    api.serialization().unmarshal(body, io.fabric8.kubernetes.api.model.DeleteOptions.class);
            if (o.getPropagationPolicy() != null) {
                policy = o.getPropagationPolicy();
            }
            if (Boolean.TRUE.equals(o.getOrphanDependents())) {
                policy = "Orphan";
            }
            if (o.getGracePeriodSeconds() != null) {
                grace = o.getGracePeriodSeconds();
            }
            if (o.getDryRun() != null && o.getDryRun().contains("All")) {
                dryRun = true;
            }
            if (o.getPreconditions() != null) {
                uid = o.getPreconditions().getUid();
                rv = o.getPreconditions().getResourceVersion();
            }
        }
        return new ApiServer.DeleteOptions(policy, grace, uid, rv, dryRun);
    }

    // ------------------------------------------------------------------ watch

    /** What a watch returns once it has logged itself: a watch is logged when it starts streaming. */
    private static final int STREAMED = -1;

    private int watch(HttpExchange ex, Target t, Map<String, String> q) throws IOException {
        String upgrade = ex.getRequestHeaders().getFirst("Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            // watches are served over plain HTTP streaming; clients that try a websocket first
            // (fabric8 does) fall back to HTTP on a 503 handshake answer
            return send(ex, 503, "text/plain", "websocket watches are not supported; use HTTP watch");
        }
        ResourceType type = t.type();
        LabelSelector labels = LabelSelector.parse(q.get("labelSelector"));
        FieldSelector fields = FieldSelector.parse(q.get("fieldSelector"), type);
        String rv = q.get("resourceVersion");
        boolean bookmarks = "true".equals(q.get("allowWatchBookmarks"));
        boolean initialEvents = "true".equals(q.get("sendInitialEvents"));
        long timeoutSeconds = q.containsKey("timeoutSeconds") ? Long.parseLong(q.get("timeoutSeconds")) : 1800;
        Watchers.Watch w = new Watchers.Watch(type, t.namespace(), labels, fields, api::copy);
        List<Watchers.Event> initial = new ArrayList<>();
        ApiException gone = engine.call(() -> {
            try {
                if (rv == null || rv.isEmpty() || rv.equals("0") || initialEvents) {
                    for (HasMetadata o : api.list(type, t.namespace(), labels, fields, 0, null)
                            .items()) {
                        initial.add(new Watchers.Event("ADDED", o));
                    }
                    if (initialEvents && bookmarks) {
                        initial.add(new Watchers.Event(
                                "BOOKMARK", bookmark(type, api.store().resourceVersion(), true)));
                    }
                } else {
                    long from;
                    try {
                        from = Long.parseLong(rv);
                    } catch (NumberFormatException e) {
                        throw ApiException.badRequest("invalid resource version: " + rv);
                    }
                    for (Change c : api.store().changesSince(from)) {
                        w.offer(c);
                    }
                }
                watchers.add(w);
                return null;
            } catch (ApiException e) {
                if (e.code() == 410) {
                    return e;
                }
                throw e;
            }
        });
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        // logged now: an open watch is a request the client has made, however long it streams
        extensions.served("watch", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), 200);
        OutputStream out = ex.getResponseBody();
        try {
            if (gone != null) {
                writeEvent(out, new Watchers.Event("ERROR", gone.status()));
                return STREAMED;
            }
            for (Watchers.Event e : initial) {
                writeEvent(out, e);
            }
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long nextBookmark = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Watchers.Event e = w.queue.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (e == Watchers.Event.CLOSE) {
                    break;
                }
                if (e != null) {
                    writeEvent(out, e);
                    // write what else is queued before flushing
                    Watchers.Event more;
                    while ((more = w.queue.poll()) != null && more != Watchers.Event.CLOSE) {
                        writeEvent(out, more);
                    }
                    out.flush();
                    if (more == Watchers.Event.CLOSE) {
                        break;
                    }
                } else if (bookmarks && System.nanoTime() > nextBookmark) {
                    writeEvent(
                            out,
                            new Watchers.Event(
                                    "BOOKMARK", bookmark(type, api.store().resourceVersion(), false)));
                    out.flush();
                    nextBookmark = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("watch client went away");
        } finally {
            watchers.remove(w);
            try {
                out.close();
            } catch (IOException ignored) {
                // the client is gone
            }
        }
        return STREAMED;
    }

    private HasMetadata bookmark(ResourceType type, long rv, boolean initialEventsEnd) {
        HasMetadata o;
        try {
            o = type.type().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        o.setApiVersion(type.apiVersion());

        var meta = new io.fabric8.kubernetes.api.model.ObjectMeta();
        meta.setResourceVersion(Long.toString(rv));
        if (initialEventsEnd) {
            meta.setAnnotations(Map.of("k8s.io/initial-events-end", "true"));
        }
        o.setMetadata(meta);
        return o;
    }

    private void writeEvent(OutputStream out, Watchers.Event e) throws IOException {
        String json = "{\"type\":\"" + e.type() + "\",\"object\":"
                + api.serialization().asJson(e.object()) + "}\n";
        out.write(json.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ logs

    private int podLog(HttpExchange ex, Target t, Map<String, String> q) throws IOException {
        engine.call(() -> api.get(ResourceTypes.PODS, t.namespace(), t.name()));
        Long tail = q.containsKey("tailLines") ? Long.valueOf(q.get("tailLines")) : null;
        boolean previous = "true".equals(q.get("previous"));
        String text = extensions.podLog(t.namespace(), t.name(), q.get("container"), previous, tail);
        if (!"true".equals(q.get("follow"))) {
            return send(ex, 200, "text/plain", text == null ? "" : text);
        }
        // follow: stream what is there, then what the containers print, until the pod stops
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, 0);
        String container = q.get("container");
        try (OutputStream out = ex.getResponseBody()) {
            out.write((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
            out.flush();
            int linesSent = lines(extensions.podLog(t.namespace(), t.name(), container, previous, null))
                    .size();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (System.nanoTime() < deadline) {
                boolean running = engine.call(() -> {
                    var pod = api.find(io.fabric8.kubernetes.api.model.Pod.class, t.namespace(), t.name());
                    return pod != null && !PodPhases.isTerminal(pod);
                });
                List<String> all = lines(extensions.podLog(t.namespace(), t.name(), container, previous, null));
                if (all.size() > linesSent) {
                    for (String line : all.subList(linesSent, all.size())) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                    linesSent = all.size();
                }
                if (!running) {
                    break;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("log follower went away");
        }
        return 200;
    }

    private static List<String> lines(@Nullable String text) {
        return text == null ? List.of() : text.lines().toList();
    }

    // ------------------------------------------------------------------ encoding

    private String listJson(ResourceType type, ApiServer.ListResult list) {
        StringBuilder sb = new StringBuilder(256 + list.items().size() * 1024);
        sb.append("{\"apiVersion\":\"")
                .append(type.apiVersion())
                .append("\",\"kind\":\"")
                .append(type.kind())
                .append("List\",");
        ListMeta meta = new ListMeta();
        meta.setResourceVersion(Long.toString(list.resourceVersion()));
        meta.setContinue(list.continueToken());
        meta.setRemainingItemCount(list.remaining());
        sb.append("\"metadata\":").append(api.serialization().asJson(meta)).append(",\"items\":[");
        boolean first = true;
        for (HasMetadata o : list.items()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(api.serialization().asJson(o));
        }
        return sb.append("]}").toString();
    }

    private String versionJson() {
        return "{\"major\":\"1\",\"minor\":\"" + VERSION_MINOR + "\",\"gitVersion\":\"v1." + VERSION_MINOR
                + ".0+skiff\",\"gitCommit\":\"0000000000000000000000000000000000000000\",\"gitTreeState\":\"clean\","
                + "\"buildDate\":\"2026-01-01T00:00:00Z\",\"goVersion\":\"go1.26.0\",\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}";
    }

    private int sendStatus(HttpExchange ex, Status s) throws IOException {
        return sendJson(
                ex, s.getCode() == null ? 500 : s.getCode(), api.serialization().asJson(s));
    }

    private static int sendJson(HttpExchange ex, int code, String json) throws IOException {
        return send(ex, code, "application/json", json);
    }

    private static int send(HttpExchange ex, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        return code;
    }

    private static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Map<String, String> parseQuery(@Nullable String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }
}
