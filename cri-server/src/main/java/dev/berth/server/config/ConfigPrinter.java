package dev.berth.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a config as commented TOML: each key preceded by its {@link Doc}. Driven by the
 * record components of {@link BerthConfig}, so the printout cannot drift from what the
 * loader accepts (a test reads the printout back).
 */
public final class ConfigPrinter {
    private ConfigPrinter() {}

    public static String print(BerthConfig config) {
        StringBuilder out = new StringBuilder();
        out.append("# Berth daemon configuration (").append(ConfigLoader.DEFAULT_FILE).append(").\n")
                .append("# Every key is optional and shows its default; flags of `berth daemon` override them.\n");
        printTable(out, "", config);
        return out.toString();
    }

    private static void printTable(StringBuilder out, String prefix, Record table) {
        List<RecordComponent> subTables = new ArrayList<>();
        for (RecordComponent component : table.getClass().getRecordComponents()) {
            Object value = valueOf(component, table);
            if (value instanceof Record) {
                subTables.add(component);
                continue;
            }
            out.append('\n');
            comment(out, component);
            out.append(keyOf(component)).append(" = ").append(tomlValue(value)).append('\n');
        }
        for (RecordComponent component : subTables) {
            String name = prefix.isEmpty() ? keyOf(component) : prefix + "." + keyOf(component);
            out.append('\n');
            comment(out, component);
            out.append('[').append(name).append("]\n");
            printTable(out, name, (Record) valueOf(component, table));
        }
    }

    private static void comment(StringBuilder out, RecordComponent component) {
        Doc doc = component.getAnnotation(Doc.class);
        if (doc != null) {
            out.append("# ").append(doc.value()).append('\n');
        }
    }

    static String keyOf(RecordComponent component) {
        // @JsonProperty cannot target record components; Java copies it onto the accessor.
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        return property != null ? property.value() : component.getName();
    }

    private static Object valueOf(RecordComponent component, Record owner) {
        try {
            return component.getAccessor().invoke(owner);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read config key " + component.getName(), e);
        }
    }

    private static String tomlValue(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof String || value instanceof Path) {
            return quote(value.toString());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigPrinter::tomlValue).toList().toString();
        }
        throw new IllegalArgumentException("no TOML form for config value of " + value.getClass());
    }

    /** A TOML basic string. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
