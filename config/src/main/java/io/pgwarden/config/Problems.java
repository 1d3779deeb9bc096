package io.pgwarden.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects every problem of one load, and remembers where each key was written so checks
 * that run after reading (duplicates, missing files) can still point at the line.
 */
final class Problems {

    private final List<ConfigProblem> found = new ArrayList<>();
    private final Map<String, Optional<String>> locations = new HashMap<>();

    void locate(String key, ConfigOrigin origin) {
        locations.put(key, location(origin));
    }

    void add(String key, Optional<String> value, String message) {
        found.add(new ConfigProblem(key, value, message, locations.getOrDefault(key, Optional.empty())));
    }

    /** A problem of the file as a whole (syntax, I/O, substitution cycles), located by origin. */
    void addWhole(String message, Optional<String> location) {
        found.add(new ConfigProblem("", Optional.empty(), message, location));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<ConfigProblem> all() {
        return List.copyOf(found);
    }

    /**
     * {@code file:line} for the operator's file, {@code line N} for a parsed string, nothing for
     * reference.conf (a resource) and environment values (no line), whose location would not help.
     */
    static Optional<String> location(ConfigOrigin origin) {
        if (origin == null || origin.lineNumber() < 1 || origin.resource() != null) {
            return Optional.empty();
        }
        if (origin.filename() != null) {
            return Optional.of(origin.filename() + ":" + origin.lineNumber());
        }
        if (origin.url() != null) {
            return Optional.empty();
        }
        return Optional.of("line " + origin.lineNumber());
    }
}
