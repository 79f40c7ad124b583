package org.daolinet.rest;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.PortRange;
import org.daolinet.json.ConfigJson;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The OpenAPI 3 description of the REST API, derived from the API's records at start-up so that it cannot drift
 * from what the server accepts.
 */
final class OpenApiDocument {

    private final ConfigJson json;
    private ObjectNode schemas;
    private final Set<Class<?>> described = new LinkedHashSet<>();

    OpenApiDocument(ConfigJson json) {
        this.json = json;
    }

    JsonNode build() {
        ObjectNode doc = json.mapper().createObjectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "DaoliNet REST API").put("version", "1")
                .put("description", "Tenants, VPCs, subnets, hosts, endpoints and rules of a DaoliNet controller. "
                        + "Errors are {\"error\": message, \"field\": the input at fault}.");
        doc.putArray("servers").addObject().put("url", RestServlet.BASE);
        ObjectNode paths = doc.putObject("paths");
        schemas = doc.putObject("components").putObject("schemas");
        ObjectNode error = schemas.putObject("Error").put("type", "object");
        error.putArray("required").add("error");
        error.putObject("properties").set("error", string());
        ((ObjectNode) error.get("properties")).set("field", string());

        for (ConfigKind kind : ConfigKind.values()) {
            String name = describe(kind.type());
            String tag = kind.plural();
            ObjectNode collection = paths.putObject("/" + kind.plural());
            operation(collection.putObject("get"), tag, "List " + kind.plural(), null, "200", arrayOf(ref(name)));
            operation(collection.putObject("post"), tag, "Create; a missing id is generated", name, "201", ref(name));
            ObjectNode item = paths.putObject("/" + kind.plural() + "/{id}");
            item.putArray("parameters").addObject().put("name", "id").put("in", "path").put("required", true)
                    .set("schema", string());
            operation(item.putObject("get"), tag, "Show one", null, "200", ref(name));
            operation(item.putObject("put"), tag, "Replace one", name, "200", ref(name));
            operation(item.putObject("delete"), tag, "Delete one (409 while others use it)", null, "204", null);
        }
        ObjectNode sw = paths.putObject("/switches");
        operation(sw.putObject("get"), "switches", "Connected OpenFlow switches", null, "200",
                arrayOf(json.mapper().createObjectNode().put("type", "object")));
        return doc;
    }

    private void operation(ObjectNode op, String tag, String summary, String bodySchema, String okStatus,
            JsonNode okSchema) {
        op.putArray("tags").add(tag);
        op.put("summary", summary);
        if (bodySchema != null) {
            op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                    .set("schema", ref(bodySchema));
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(okStatus).put("description", "success");
        if (okSchema != null) {
            ok.putObject("content").putObject("application/json").set("schema", okSchema);
        }
        for (String[] e : new String[][] {{"400", "invalid input"}, {"404", "no such object"},
                {"409", "conflict with stored objects"}}) {
            responses.putObject(e[0]).put("description", e[1]).putObject("content").putObject("application/json")
                    .set("schema", ref("Error"));
        }
    }

    /** Adds the schema of a record type (and of the records it contains); returns its name. */
    private String describe(Class<?> record) {
        String name = record.getSimpleName();
        if (!described.add(record)) {
            return name;
        }
        ObjectNode schema = schemas.putObject(name).put("type", "object");
        ObjectNode props = schema.putObject("properties");
        for (RecordComponent c : record.getRecordComponents()) {
            props.set(c.getName(), schemaOf(c.getGenericType()));
        }
        return name;
    }

    private JsonNode schemaOf(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == java.util.List.class) {
            return arrayOf(schemaOf(p.getActualTypeArguments()[0]));
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return string();
        }
        if (c == int.class || c == Integer.class) {
            return json.mapper().createObjectNode().put("type", "integer");
        }
        if (c.isEnum()) {
            ObjectNode n = string();
            ArrayNode values = n.putArray("enum");
            for (Object v : c.getEnumConstants()) {
                values.add(v.toString());
            }
            return n;
        }
        if (c == IPv4Address.class) {
            return string().put("format", "ipv4").put("example", "10.0.0.10");
        }
        if (c == IPv4AddressWithMask.class) {
            return string().put("example", "10.0.0.0/24");
        }
        if (c == MacAddress.class) {
            return string().put("example", "02:00:00:00:00:0a");
        }
        if (c == DatapathId.class) {
            return string().put("example", "00:00:00:00:00:00:00:01");
        }
        if (c == PortRange.class) {
            return string().put("example", "1000-2000").put("description", "a port, a range, or \"any\"");
        }
        if (c.isRecord()) {
            return ref(describe(c));
        }
        return json.mapper().createObjectNode().put("type", "object");
    }

    private ObjectNode string() {
        return json.mapper().createObjectNode().put("type", "string");
    }

    private ObjectNode ref(String name) {
        return json.mapper().createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    private ObjectNode arrayOf(JsonNode items) {
        ObjectNode n = json.mapper().createObjectNode().put("type", "array");
        n.set("items", items);
        return n;
    }
}
