package org.daolinet.shell.config;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.daolinet.api.config.ConfigException;
import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.json.ConfigJson;

/**
 * Base of the configuration commands. A create command gathers its options into the same JSON document a REST
 * client would send, so that the shell and the API parse and validate identically, and an error names the
 * field at fault. Errors make the command fail (non-zero in {@code bin/client}) and change nothing.
 */
abstract class ConfigCommand implements Action {

    static final ConfigJson JSON = new ConfigJson();

    @Reference
    NetworkConfigService config;

    @Reference
    Session session;

    @Override
    public final Object execute() throws Exception {
        try {
            run();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.field() == null ? e.getMessage() : e.field() + ": " + e.getMessage(),
                    e);
        }
        return null;
    }

    abstract void run() throws Exception;

    PrintStream out() {
        return session.getConsole();
    }

    /** Reads {@code fields} as an object of {@code type}, exactly as the REST API would read it. */
    <T extends ConfigObject> T parse(Class<T> type, Map<String, Object> fields) {
        Map<String, Object> present = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v != null && !(v instanceof List<?> l && l.isEmpty())) {
                present.put(k, v);
            }
        });
        return JSON.read(JSON.toBytes(present), type);
    }

    /** Creates and prints what was stored, with its id. */
    void create(ConfigObject object) {
        ConfigObject stored = config.create(object);
        out().println("created " + ConfigKind.of(stored).singular() + " " + stored.id());
        ConfigTable.print(List.of(stored), out());
    }

    static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
