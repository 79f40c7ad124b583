package org.daolinet.shell.config;

import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.support.table.ShellTable;
import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.PortRange;

/** Prints configuration objects as a table whose columns are the fields of their record type. */
final class ConfigTable {

    private ConfigTable() {
    }

    static void print(Collection<? extends ConfigObject> objects, PrintStream out) {
        if (objects.isEmpty()) {
            out.println("(none)");
            return;
        }
        RecordComponent[] fields = objects.iterator().next().getClass().getRecordComponents();
        ShellTable table = new ShellTable();
        for (RecordComponent f : fields) {
            table.column(header(f.getName()));
        }
        for (ConfigObject o : objects) {
            Object[] row = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                row[i] = text(value(fields[i], o));
            }
            table.addRow().addContent(row);
        }
        table.print(out);
    }

    static Object value(RecordComponent field, Object record) {
        try {
            return field.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nested records print as their fields' values, lists comma-separated, nothing for null. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigTable::text).collect(Collectors.joining(", "));
        }
        if (value instanceof PortRange ports) {
            return ports.toString(); // 22, 1000-2000 or any
        }
        if (value instanceof Record r) {
            RecordComponent[] fields = r.getClass().getRecordComponents();
            StringBuilder sb = new StringBuilder();
            for (RecordComponent f : fields) {
                String v = text(value(f, r));
                if (!v.isEmpty()) {
                    sb.append(sb.length() == 0 ? "" : " ").append(v);
                }
            }
            return sb.toString();
        }
        return value.toString();
    }

    /** {@code underlayMac} becomes {@code Underlay mac}. */
    private static String header(String field) {
        String words = field.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase();
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
