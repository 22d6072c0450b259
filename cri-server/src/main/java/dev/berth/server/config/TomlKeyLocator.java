package dev.berth.server.config;

import java.util.List;
import java.util.OptionalInt;

/**
 * Finds the line of a key in TOML text, so binding errors (which Jackson reports by key path
 * only) can name a line. It only locates: the parsing itself is Jackson's. It understands
 * {@code [table]} headers and bare or quoted keys, which is what Berth's config uses.
 */
final class TomlKeyLocator {
    private TomlKeyLocator() {}

    /** The 1-based line on which {@code path} (table names then key) is assigned, if found. */
    static OptionalInt lineOf(String text, List<String> path) {
        if (path.isEmpty()) {
            return OptionalInt.empty();
        }
        String wantedTable = String.join(".", path.subList(0, path.size() - 1));
        String wantedKey = path.get(path.size() - 1);
        String table = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                table = end > 0 ? unquote(line.substring(1, end).replace("[", "").strip()) : table;
                if (table.equals(String.join(".", path))) {
                    return OptionalInt.of(i + 1); // the key names a whole table
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String key = unquote(line.substring(0, eq).strip());
            String fullKey = table.isEmpty() ? key : table + "." + key;
            String wanted = wantedTable.isEmpty() ? wantedKey : wantedTable + "." + wantedKey;
            if (fullKey.equals(wanted)) {
                return OptionalInt.of(i + 1);
            }
        }
        return OptionalInt.empty();
    }

    private static String unquote(String key) {
        if (key.length() >= 2 && (key.startsWith("\"") && key.endsWith("\"") || key.startsWith("'") && key.endsWith("'"))) {
            return key.substring(1, key.length() - 1);
        }
        return key;
    }
}
