package org.daolinet.json;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.daolinet.api.config.InvalidConfigException;
import org.daolinet.api.config.PortRange;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv4AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The JSON form of DaoliNet's value types: addresses as their usual text ({@code "10.0.0.1"},
 * {@code "10.0.0.0/24"}, {@code "02:00:00:00:00:01"}, {@code "00:00:00:00:00:00:00:01"}), enums in lower case
 * (read in any case), port ranges as {@code "22"}, {@code "1000-2000"} or {@code "any"} (also read: a bare number
 * and {@code {"min":..,"max":..}}).
 * Unknown fields are refused, so a typo is an error instead of a silently ignored setting.
 */
public final class ConfigJson {

    private final ObjectMapper mapper;

    public ConfigJson() {
        SimpleModule module = new SimpleModule("daolinet");
        addText(module, IPv4Address.class, "an IPv4 address like 10.0.0.1", IPv4Address::of);
        addText(module, IPv4AddressWithMask.class, "an IPv4 CIDR like 10.0.0.0/24", ConfigJson::parseCidr);
        addText(module, MacAddress.class, "a MAC address like 02:00:00:00:00:01", MacAddress::of);
        addText(module, DatapathId.class, "a datapath id like 00:00:00:00:00:00:00:01", ConfigJson::parseDpid);
        module.addSerializer(PortRange.class, ToStringSerializer.instance);
        module.addDeserializer(PortRange.class, new PortRangeDeserializer());
        mapper = JsonMapper.builder()
                .addModule(module)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] toBytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    public String toText(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    /**
     * Reads a value; any problem becomes an {@link InvalidConfigException} naming the field
     * ({@code members[1].port}) and saying what was expected.
     */
    public <T> T read(byte[] json, Class<T> type) {
        try {
            T value = mapper.readValue(json, type);
            if (value == null) {
                throw new InvalidConfigException(null, "the body is empty or null; expected a JSON object");
            }
            return value;
        } catch (JsonMappingException e) {
            throw new InvalidConfigException(fieldPath(e), describe(e));
        } catch (IOException e) {
            throw new InvalidConfigException(null, "malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    public JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
            String msg = f.getOriginalMessage();
            if (f.getTargetType() != null && f.getTargetType().isEnum()) {
                Object[] constants = f.getTargetType().getEnumConstants();
                StringBuilder names = new StringBuilder();
                for (Object c : constants) {
                    names.append(names.length() == 0 ? "" : ", ").append(c);
                }
                return "'" + f.getValue() + "' is not one of " + names;
            }
            int colon = msg.indexOf("\": ");
            return colon >= 0 ? firstLine(msg.substring(colon + 3)) : firstLine(msg);
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return "wrong JSON type; expected " + simpleType(m.getTargetType());
        }
        return firstLine(e.getOriginalMessage());
    }

    private static String simpleType(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class) {
            return "a whole number";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == String.class || type.getName().startsWith("org.projectfloodlight")) {
            return "a string";
        }
        return "an object";
    }

    private static String firstLine(String msg) {
        if (msg == null) {
            return "unreadable input";
        }
        int nl = msg.indexOf('\n');
        return (nl < 0 ? msg : msg.substring(0, nl)).replaceAll(" \\(for .*$", "");
    }

    private static <T> void addText(SimpleModule module, Class<T> type, String expected, Function<String, T> parse) {
        module.addSerializer(type, ToStringSerializer.instance);
        module.addDeserializer(type, new StdDeserializer<T>(type) {
            private static final long serialVersionUID = 1L;

            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() == JsonToken.VALUE_NULL) {
                    return null;
                }
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    throw ctxt.wrongTokenException(p, type, JsonToken.VALUE_STRING, "expected " + expected);
                }
                String text = p.getText().trim();
                try {
                    return parse.apply(text);
                } catch (Refusal e) {
                    throw ctxt.weirdStringException(text, type, e.getMessage());
                } catch (RuntimeException e) {
                    throw ctxt.weirdStringException(text, type, "'" + text + "' is not " + expected);
                }
            }
        });
    }

    /** Loxi accepts host bits in a CIDR; a configuration must not, or two subnets could look different yet be one. */
    private static IPv4AddressWithMask parseCidr(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException(text);
        }
        IPv4AddressWithMask cidr = IPv4AddressWithMask.of(text);
        IPv4Address typed = IPv4Address.of(text.substring(0, text.indexOf('/')));
        if (!typed.equals(cidr.getValue())) {
            throw new Refusal("'" + text + "' has host bits set; the network is " + cidr);
        }
        return cidr;
    }

    /** A parse failure whose message is already what the admin should read. */
    private static final class Refusal extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }

    private static DatapathId parseDpid(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            return DatapathId.of(Long.parseUnsignedLong(t.substring(2), 16));
        }
        return DatapathId.of(t);
    }

    private static final class PortRangeDeserializer extends StdDeserializer<PortRange> {
        private static final long serialVersionUID = 1L;

        PortRangeDeserializer() {
            super(PortRange.class);
        }

        @Override
        public PortRange deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String expected = "a port (22), a range (\"1000-2000\"), \"any\" or {\"min\":..,\"max\":..}";
            switch (p.currentToken()) {
                case VALUE_NULL:
                    return null;
                case VALUE_NUMBER_INT:
                    return PortRange.of(p.getIntValue());
                case VALUE_STRING: {
                    String t = p.getText().trim();
                    try {
                        if (t.equalsIgnoreCase("any") || t.isEmpty()) {
                            return PortRange.ANY;
                        }
                        int dash = t.indexOf('-');
                        return dash < 0 ? PortRange.of(Integer.parseInt(t))
                                : new PortRange(Integer.parseInt(t.substring(0, dash).trim()),
                                        Integer.parseInt(t.substring(dash + 1).trim()));
                    } catch (NumberFormatException e) {
                        throw ctxt.weirdStringException(t, PortRange.class, "'" + t + "' is not " + expected);
                    }
                }
                case START_OBJECT: {
                    JsonNode node = ctxt.readTree(p);
                    if (!node.path("min").canConvertToInt() || !node.path("max").canConvertToInt()) {
                        throw ctxt.weirdStringException(node.toString(), PortRange.class, "expected " + expected);
                    }
                    return new PortRange(node.get("min").asInt(), node.get("max").asInt());
                }
                default:
                    throw ctxt.weirdStringException(p.getText(), PortRange.class, "expected " + expected);
            }
        }
    }
}
