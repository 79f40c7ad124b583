package org.daolinet.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daolinet.api.config.ConfigConflictException;
import org.daolinet.api.config.ConfigException;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.ConfigNotFoundException;
import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.InvalidConfigException;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.openflow.OpenFlowSwitch;
import org.daolinet.api.openflow.SwitchService;
import org.daolinet.json.ConfigJson;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API: {@code /daolinet/v1/{kind}} and {@code /daolinet/v1/{kind}/{id}} for every configuration kind
 * (GET, POST, PUT, DELETE), {@code /daolinet/v1/switches} read-only, and {@code /daolinet/v1/openapi.json}.
 * Errors are {@code {"error": ..., "field": ...}} with 400 (bad input), 404 (no such object), 405, 409
 * (conflict), 413 or 415; a 500 means a bug, never bad input.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/daolinet/v1/*",
    "osgi.http.whiteboard.servlet.name=daolinet-rest"
})
public class RestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RestServlet.class);
    private static final int MAX_BODY = 1 << 20;
    static final String BASE = "/daolinet/v1";

    private final transient ConfigJson json = new ConfigJson();
    private final transient JsonNode openApi = new OpenApiDocument(json).build();

    @Reference
    transient NetworkConfigService config;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile SwitchService switches;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            route(req, resp);
        } catch (HttpError e) {
            error(resp, e.status, e.getMessage(), e.field());
        } catch (ConfigNotFoundException e) {
            // the addressed object is missing: 404; a reference inside the body is missing: bad input
            error(resp, "id".equals(e.field()) ? 404 : 400, e.getMessage(), e.field());
        } catch (InvalidConfigException e) {
            error(resp, 400, e.getMessage(), e.field());
        } catch (ConfigConflictException e) {
            error(resp, 409, e.getMessage(), e.field());
        } catch (RuntimeException e) {
            log.error("REST {} {} failed", req.getMethod(), req.getRequestURI(), e);
            error(resp, 500, "internal error; the controller log has the details", null);
        }
    }

    private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = segments(req.getPathInfo());
        String method = req.getMethod();
        if (path.isEmpty()) {
            only(method, "GET");
            ObjectNode index = json.mapper().createObjectNode();
            ArrayNode resources = index.putArray("resources");
            for (ConfigKind k : ConfigKind.values()) {
                resources.add(BASE + "/" + k.plural());
            }
            resources.add(BASE + "/switches");
            index.put("openapi", BASE + "/openapi.json");
            write(resp, 200, index);
            return;
        }
        if (path.equals(List.of("openapi.json"))) {
            only(method, "GET");
            write(resp, 200, openApi);
            return;
        }
        if (path.get(0).equals("switches")) {
            only(method, "GET");
            switchesResource(resp, path);
            return;
        }
        ConfigKind kind = ConfigKind.byName(path.get(0)).filter(k -> k.plural().equals(path.get(0)))
                .orElseThrow(() -> new HttpError(404, "no resource '" + path.get(0) + "'; see " + BASE, null));
        if (path.size() > 2) {
            throw new HttpError(404, "no resource " + req.getPathInfo(), null);
        }
        Class<? extends ConfigObject> type = kind.type();
        if (path.size() == 1) {
            switch (method) {
                case "GET" -> write(resp, 200, config.list(type));
                case "POST" -> {
                    ConfigObject created = config.create(readBody(req, type));
                    resp.setHeader("Location", BASE + "/" + kind.plural() + "/" + created.id());
                    write(resp, 201, created);
                }
                default -> throw notAllowed("GET, POST");
            }
            return;
        }
        String id = path.get(1);
        switch (method) {
            case "GET" -> write(resp, 200, config.get(type, id).orElseThrow(() -> new HttpError(404,
                    kind.plural() + "/" + id + " does not exist", "id")));
            case "PUT" -> {
                ConfigObject body = readBody(req, type);
                if (body.id() != null && !body.id().isEmpty() && !body.id().equals(id)) {
                    throw new HttpError(400, "the body's id '" + body.id() + "' differs from the path's '" + id + "'",
                            "id");
                }
                write(resp, 200, config.update(body.withId(id)));
            }
            case "DELETE" -> {
                config.delete(type, id);
                resp.setStatus(204);
            }
            default -> throw notAllowed("GET, PUT, DELETE");
        }
    }

    private void switchesResource(HttpServletResponse resp, List<String> path) throws IOException {
        SwitchService s = switches;
        if (s == null) {
            throw new HttpError(404, "the OpenFlow southbound (daolinet-openflow) is not installed", null);
        }
        ArrayNode out = json.mapper().createArrayNode();
        for (OpenFlowSwitch sw : s.switches().stream().sorted(Comparator.comparing(OpenFlowSwitch::id)).toList()) {
            if (path.size() > 1 && !sw.id().toString().equals(path.get(1))) {
                continue;
            }
            ObjectNode n = out.addObject();
            n.put("dpid", sw.id().toString());
            n.put("address", String.valueOf(sw.remoteAddress()).replaceFirst("^/", ""));
            n.put("openflow", sw.version().toString().replace("OF_1", "1."));
            n.put("connectedSince", sw.connectedSince().toString());
            n.put("role", sw.role().toString().replace("ROLE_", "").toLowerCase());
            ArrayNode ports = n.putArray("ports");
            sw.ports().forEach(p -> ports.addObject().put("number", p.getPortNo().toString())
                    .put("name", p.getName()).put("mac", p.getHwAddr().toString()));
        }
        if (path.size() > 1) {
            if (out.isEmpty()) {
                throw new HttpError(404, "no switch " + path.get(1) + " is connected", "dpid");
            }
            write(resp, 200, out.get(0));
        } else {
            write(resp, 200, out);
        }
    }

    private <T extends ConfigObject> T readBody(HttpServletRequest req, Class<T> type) throws IOException {
        String contentType = Optional.ofNullable(req.getContentType()).orElse("application/json").toLowerCase();
        if (!contentType.startsWith("application/json") && !contentType.contains("+json")) {
            throw new HttpError(415, "send the body as application/json, not " + contentType, null);
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            throw new HttpError(413, "the body is larger than " + MAX_BODY + " bytes", null);
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new HttpError(413, "the body is larger than " + MAX_BODY + " bytes", null);
        }
        return json.read(body, type);
    }

    private void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getOutputStream().write(json.toBytes(body));
    }

    private void error(HttpServletResponse resp, int status, String message, String field) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        ObjectNode body = json.mapper().createObjectNode();
        body.put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        write(resp, status, body);
    }

    private static void only(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw notAllowed(allowed);
        }
    }

    private static HttpError notAllowed(String allowed) {
        return new HttpError(405, "method not allowed here; use " + allowed, null);
    }

    private static List<String> segments(String pathInfo) {
        if (pathInfo == null) {
            return List.of();
        }
        try {
            return java.util.Arrays.stream(pathInfo.split("/"))
                    .filter(s -> !s.isEmpty())
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                    .toList();
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed path: " + e.getMessage(), null);
        }
    }

    /** A response decided while routing. */
    private static final class HttpError extends ConfigException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message, String field) {
            super(field, message);
            this.status = status;
        }
    }
}
