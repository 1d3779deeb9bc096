package io.pgwarden.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A typed view of one HOCON object at a key path ({@code pgwarden.health},
 * {@code pgwarden.backends[1]}). Each read either returns a valid value or records a problem
 * naming the key and the value and returns a placeholder, so reading goes on and every
 * problem is found in one pass. Keys that were never read are the unknown ones:
 * {@link #finish()} reports them.
 *
 * <p>A key set to {@code null} counts as absent: the element default applies, or a required
 * value is reported missing.
 */
final class Section {

    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[+-]?[0-9]+(\\.[0-9]*)?\\s*");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int SHOWN_VALUE_LIMIT = 80;
    static final String REDACTED = "<redacted>";

    private final String path;
    private final ConfigObject object;
    private final Config config;
    private final Problems problems;
    private final Set<String> read = new HashSet<>();

    Section(String path, ConfigObject object, Problems problems) {
        this.path = path;
        this.object = object;
        this.config = object.toConfig();
        this.problems = problems;
    }

    /**
     * A stand-in for a section that is not an object, after that has been reported: reads give
     * their fallbacks and report nothing, so one mistake is not echoed for every key below it.
     */
    private static Section detached(String path) {
        return new Section(path, ConfigFactory.empty().root(), new Problems());
    }

    String keyPath(String key) {
        return path + "." + (PLAIN_KEY.matcher(key).matches() ? key : ConfigUtil.quoteString(key));
    }

    /** Whether the key is set to something other than null. */
    boolean has(String key) {
        ConfigValue value = raw(key);
        if (value == null) {
            return false;
        }
        try {
            return value.valueType() != ConfigValueType.NULL;
        } catch (ConfigException.NotResolved unresolved) {
            return true;
        }
    }

    /**
     * Reports the key's current value as invalid, for checks the typed readers do not make.
     * It shows the value, so it is not for secrets.
     */
    void invalid(String key, String message) {
        ConfigValue value = raw(key);
        problems.add(keyPath(key), value == null ? Optional.empty() : Optional.of(render(value)), message);
    }

    // ---- strings ---------------------------------------------------------------------------

    /** A required, non-empty string. */
    String string(String key) {
        return string(key, null);
    }

    /** A non-empty string, or the fallback when absent; a null fallback makes the key required. */
    String string(String key, String fallback) {
        ConfigValue value = present(key, fallback == null);
        if (value == null) {
            return fallback == null ? "" : fallback;
        }
        Optional<String> text = text(key, value, false);
        if (text.isPresent() && text.get().isBlank()) {
            report(key, value, false, "must not be empty");
            return "";
        }
        return text.orElse("");
    }

    /** A string that may be absent; empty when absent, null or blank. */
    Optional<String> optionalString(String key) {
        ConfigValue value = present(key, false);
        if (value == null) {
            return Optional.empty();
        }
        return text(key, value, false).filter(text -> !text.isBlank());
    }

    /** A password or token; never shown in a problem. Empty when absent, null or empty. */
    Optional<Secret> secret(String key) {
        ConfigValue value = present(key, false);
        if (value == null) {
            return Optional.empty();
        }
        return text(key, value, true).filter(text -> !text.isEmpty()).map(Secret::new);
    }

    /** A file path; empty when absent, null or blank. Relative paths stay relative (to the working directory). */
    Optional<Path> path(String key) {
        ConfigValue value = present(key, false);
        if (value == null) {
            return Optional.empty();
        }
        return text(key, value, false).filter(text -> !text.isBlank()).flatMap(text -> toPath(key, value, text));
    }

    /** A required, non-empty file path; the empty path is the placeholder. */
    Path requiredPath(String key) {
        ConfigValue value = present(key, true);
        if (value == null) {
            return Path.of("");
        }
        Optional<String> text = text(key, value, false);
        if (text.isPresent() && text.get().isBlank()) {
            report(key, value, false, "must not be empty");
            return Path.of("");
        }
        return text.flatMap(written -> toPath(key, value, written)).orElse(Path.of(""));
    }

    private Optional<Path> toPath(String key, ConfigValue value, String text) {
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException invalid) {
            report(key, value, false, "not a file path");
            return Optional.empty();
        }
    }

    // ---- numbers ---------------------------------------------------------------------------

    /** A required integer in [min, max]; 0 is the placeholder. */
    int integer(String key, int min, int max) {
        return integer(key, min, max, null);
    }

    /** An integer in [min, max], or the fallback when absent; a null fallback makes the key required. */
    int integer(String key, int min, int max, Integer fallback) {
        return boundedInteger(key, min, max, fallback, "not an integer", number -> {
            if (max != Integer.MAX_VALUE) {
                return "must be between " + min + " and " + max;
            }
            return number < min ? "must be at least " + min : "must be at most " + max;
        });
    }

    /** A required TCP port. */
    int port(String key) {
        return port(key, null);
    }

    /** A TCP port, or the fallback when absent. */
    int port(String key, Integer fallback) {
        String message = "not a port (1-65535)";
        return boundedInteger(key, 1, 65535, fallback, message, number -> message);
    }

    private int boundedInteger(
            String key, int min, int max, Integer fallback, String notInteger, LongFunction<String> outOfRange) {
        ConfigValue value = present(key, fallback == null);
        if (value == null) {
            return fallback == null ? 0 : fallback;
        }
        Optional<Long> number = wholeNumber(value);
        if (number.isEmpty()) {
            report(key, value, false, notInteger);
            return 0;
        }
        if (number.get() < min || number.get() > max) {
            report(key, value, false, outOfRange.apply(number.get()));
            return 0;
        }
        return number.get().intValue();
    }

    /** A required size in bytes in [min, max], written with a unit ({@code 16MiB}) or as a number of bytes. */
    long bytes(String key, long min, long max) {
        ConfigValue value = present(key, true);
        if (value == null) {
            return 0;
        }
        long bytes;
        if (value.valueType() == ConfigValueType.NUMBER) {
            Optional<Long> number = wholeNumber(value);
            if (number.isEmpty()) {
                report(key, value, false, "not a size (e.g. 16MiB)");
                return 0;
            }
            bytes = number.get();
        } else {
            try {
                bytes = config.getBytes(ConfigUtil.joinPath(key));
            } catch (ConfigException notSize) {
                report(key, value, false, "not a size (e.g. 16MiB)");
                return 0;
            }
        }
        if (bytes < min || bytes > max) {
            String range = max == Long.MAX_VALUE
                    ? "must be at least " + min + " bytes"
                    : "must be between " + min + " and " + max + " bytes";
            report(key, value, false, range);
            return 0;
        }
        return bytes;
    }

    // ---- durations -------------------------------------------------------------------------

    /** A required duration greater than zero. */
    Duration positiveDuration(String key) {
        Duration duration = duration(key);
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            invalid(key, "must be greater than 0");
            return Duration.ZERO;
        }
        return duration == null ? Duration.ZERO : duration;
    }

    /** A required duration of zero or more. */
    Duration nonNegativeDuration(String key) {
        Duration duration = duration(key);
        if (duration != null && duration.isNegative()) {
            invalid(key, "must not be negative");
            return Duration.ZERO;
        }
        return duration == null ? Duration.ZERO : duration;
    }

    /**
     * A duration with a unit, or null after a report. A bare number is refused although
     * Typesafe Config would read it as milliseconds: {@code interval = 5} is too easily meant as seconds.
     */
    private Duration duration(String key) {
        ConfigValue value = present(key, true);
        if (value == null) {
            return null;
        }
        boolean bare = value.valueType() == ConfigValueType.NUMBER
                || value.valueType() == ConfigValueType.STRING && BARE_NUMBER.matcher((String) value.unwrapped()).matches();
        if (bare) {
            report(key, value, false, "not a duration: a unit is needed (e.g. 250ms, 30s)");
            return null;
        }
        if (value.valueType() != ConfigValueType.STRING) {
            report(key, value, false, "not a duration (e.g. 250ms)");
            return null;
        }
        try {
            return config.getDuration(ConfigUtil.joinPath(key));
        } catch (ConfigException notDuration) {
            report(key, value, false, "not a duration (e.g. 250ms)");
            return null;
        }
    }

    // ---- booleans and choices --------------------------------------------------------------

    /** A required boolean; false is the placeholder. */
    boolean bool(String key) {
        return bool(key, null);
    }

    /** A boolean ({@code true/false}, also {@code on/off}, {@code yes/no}), or the fallback when absent. */
    boolean bool(String key, Boolean fallback) {
        ConfigValue value = present(key, fallback == null);
        if (value == null) {
            return fallback != null && fallback;
        }
        if (value.valueType() == ConfigValueType.BOOLEAN) {
            return (Boolean) value.unwrapped();
        }
        if (value.valueType() == ConfigValueType.STRING) {
            switch (((String) value.unwrapped()).trim().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes":
                    return true;
                case "false", "off", "no":
                    return false;
                default:
                    break;
            }
        }
        report(key, value, false, "not a boolean (true or false)");
        return false;
    }

    /** A required choice; empty after a report. */
    <E extends Enum<E> & ConfigEnum> Optional<E> choice(String key, Class<E> type) {
        return choice(key, type, null);
    }

    /**
     * One of the enum's {@link ConfigEnum#configName() config names}, matched ignoring case as
     * PostgreSQL does for its enum settings; the fallback when absent; empty after a report.
     */
    <E extends Enum<E> & ConfigEnum> Optional<E> choice(String key, Class<E> type, E fallback) {
        ConfigValue value = present(key, fallback == null);
        if (value == null) {
            return Optional.ofNullable(fallback);
        }
        E[] constants = type.getEnumConstants();
        if (value.valueType() == ConfigValueType.STRING) {
            String written = ((String) value.unwrapped()).trim();
            for (E constant : constants) {
                if (constant.configName().equalsIgnoreCase(written)) {
                    return Optional.of(constant);
                }
            }
        }
        String allowed = Arrays.stream(constants).map(ConfigEnum::configName).collect(Collectors.joining(", "));
        report(key, value, false, "must be one of " + allowed);
        return Optional.empty();
    }

    // ---- structure -------------------------------------------------------------------------

    /** A required nested object; a detached, silent section after a report. */
    Section section(String key) {
        ConfigValue value = present(key, true);
        if (value == null) {
            return detached(keyPath(key));
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            report(key, value, false, "not an object (a { ... } block)");
            return detached(keyPath(key));
        }
        return new Section(keyPath(key), (ConfigObject) value, problems);
    }

    /** A required list of objects, one section per element, paths indexed from 0. */
    List<Section> elements(String key) {
        ConfigValue value = present(key, true);
        if (value == null) {
            return List.of();
        }
        if (value.valueType() != ConfigValueType.LIST) {
            report(key, value, false, "not a list (a [ ... ] of objects)");
            return List.of();
        }
        ConfigList list = (ConfigList) value;
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue element = list.get(i);
            String elementPath = keyPath(key) + "[" + i + "]";
            problems.locate(elementPath, element.origin());
            ConfigValueType type;
            try {
                type = element.valueType();
            } catch (ConfigException.NotResolved unresolved) {
                problems.add(elementPath, Optional.of(render(element)), unresolvedMessage());
                continue;
            }
            if (type != ConfigValueType.OBJECT) {
                problems.add(elementPath, Optional.of(render(element)), "not an object (a { ... } block)");
                continue;
            }
            sections.add(new Section(elementPath, (ConfigObject) element, problems));
        }
        return sections;
    }

    /** Reports every key present but never read, with the nearest known key when one is close. */
    void finish() {
        for (String key : object.keySet().stream().sorted().toList()) {
            if (read.contains(key)) {
                continue;
            }
            problems.locate(keyPath(key), object.get(key).origin());
            String message = KeySuggestions.closest(key, read)
                    .map(known -> "unknown key; did you mean " + keyPath(known) + "?")
                    .orElse("unknown key");
            problems.add(keyPath(key), Optional.empty(), message);
        }
    }

    // ---- internals -------------------------------------------------------------------------

    /** The value as written, marking the key known and remembering its location; null when absent. */
    private ConfigValue raw(String key) {
        read.add(key);
        ConfigValue value = object.get(key);
        if (value != null) {
            problems.locate(keyPath(key), value.origin());
        }
        return value;
    }

    /**
     * The value when it is set and resolved. Null when absent or null (reported if required)
     * or when its substitution could not be resolved (reported).
     */
    private ConfigValue present(String key, boolean required) {
        ConfigValue value = raw(key);
        if (value == null) {
            if (required) {
                missing(key);
            }
            return null;
        }
        ConfigValueType type;
        try {
            type = value.valueType();
        } catch (ConfigException.NotResolved unresolved) {
            problems.add(keyPath(key), Optional.of(render(value)), unresolvedMessage());
            return null;
        }
        if (type == ConfigValueType.NULL) {
            if (required) {
                missing(key);
            }
            return null;
        }
        return value;
    }

    private static String unresolvedMessage() {
        return "unresolved substitution: no such key, and no such environment variable";
    }

    private void missing(String key) {
        problems.add(keyPath(key), Optional.empty(), "required but not set");
    }

    /** Scalars read as text (numbers and booleans as written); objects and lists are reported. */
    private Optional<String> text(String key, ConfigValue value, boolean secret) {
        switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN:
                return Optional.of(config.getString(ConfigUtil.joinPath(key)));
            default:
                report(key, value, secret, "not a string");
                return Optional.empty();
        }
    }

    /** Integral numbers only: {@code 5432.5} is a mistake, not 5432. */
    private static Optional<Long> wholeNumber(ConfigValue value) {
        Object unwrapped = value.unwrapped();
        if (unwrapped instanceof Integer || unwrapped instanceof Long) {
            return Optional.of(((Number) unwrapped).longValue());
        }
        if (unwrapped instanceof Double number) {
            if (number == Math.rint(number) && Math.abs(number) < 0x1p62) {
                return Optional.of(number.longValue());
            }
            return Optional.empty();
        }
        if (unwrapped instanceof String text) {
            try {
                return Optional.of(Long.parseLong(text.trim()));
            } catch (NumberFormatException notNumber) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private void report(String key, ConfigValue value, boolean secret, String message) {
        problems.add(keyPath(key), Optional.of(secret ? REDACTED : render(value)), message);
    }

    /** The value as HOCON would write it ({@code "fast"}, {@code 70000}), cut short when long. */
    static String render(ConfigValue value) {
        String rendered = value.render(ConfigRenderOptions.concise());
        if (rendered.length() > SHOWN_VALUE_LIMIT) {
            return rendered.substring(0, SHOWN_VALUE_LIMIT - 3) + "...";
        }
        return rendered;
    }
}
