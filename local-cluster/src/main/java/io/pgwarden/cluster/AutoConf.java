package io.pgwarden.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Edits the text of {@code postgresql.auto.conf} for a node that is not running, where {@code ALTER SYSTEM}
 * is not available. The result has the shape {@code ALTER SYSTEM} writes: one {@code name = 'value'} per line.
 */
final class AutoConf {

    private AutoConf() {
    }

    /** {@code content} with {@code name} set to {@code value}, replacing earlier values. */
    static String set(String content, String name, String value) {
        List<String> lines = withoutSetting(content, name);
        lines.add(name + " = " + ServerConfig.quoteConfValue(value));
        return String.join("\n", lines) + "\n";
    }

    /** {@code content} without any line that sets {@code name}. */
    static String remove(String content, String name) {
        List<String> lines = withoutSetting(content, name);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static List<String> withoutSetting(String content, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<String> lines = new ArrayList<>();
        for (String line : content.split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            String trimmed = line.strip();
            String key = trimmed.split("[\\s=]", 2)[0];
            if (!trimmed.startsWith("#") && key.toLowerCase(Locale.ROOT).equals(wanted)) {
                continue;
            }
            lines.add(line);
        }
        return lines;
    }
}
