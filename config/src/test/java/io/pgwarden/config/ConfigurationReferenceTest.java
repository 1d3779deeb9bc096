package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is the operator's reference: it must name exactly the keys of
 * reference.conf, state the same defaults, and show examples that pgwarden accepts.
 *
 * <p>The page's convention: one heading per key, its full path in backticks
 * ({@code ### `pgwarden.health.interval`}); keys of list elements as
 * {@code pgwarden.listeners[].port}; under each heading a line with {@code **Type**},
 * {@code **Default** `value`} and {@code **Allowed**}, and a line {@code Example: `HOCON`}.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE_PAGE = Path.of("../docs/configuration.md");

    private static final Pattern KEY_HEADING = Pattern.compile("^#{2,4} `(pgwarden\\.[^`]+)`\\s*$");
    private static final Pattern DEFAULT = Pattern.compile("\\*\\*Default\\*\\* `([^`]*)`");
    private static final Pattern EXAMPLE = Pattern.compile("^Example: `(.+)`\\s*$", Pattern.MULTILINE);
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    /** A list element key in the comment above a list: {@code #   name   required. ...}. */
    private static final Pattern ELEMENT_KEY_COMMENT = Pattern.compile("^\\s*#   ([a-z][a-z0-9-]*)\\s{2,}\\S");

    /** Keys whose allowed values are the constants of an enum. */
    private static final Map<String, Class<? extends ConfigEnum>> CHOICES = Map.of(
            "pgwarden.listeners[].route", Route.class,
            "pgwarden.listeners[].balance", Balance.class,
            "pgwarden.failover.mode", FailoverMode.class,
            "pgwarden.tls.client.mode", ClientTlsMode.class,
            "pgwarden.tls.backend.mode", BackendTlsMode.class,
            "pgwarden.logging.format", LogFormat.class,
            "pgwarden.logging.level", LogLevel.class);

    /** Secrets for examples that demand them (read-requires-token needs a token). */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "PGWARDEN_ADMIN_TOKEN", "example-token", "PGWARDEN_MONITOR_PASSWORD", "example-password");

    private static ConfigObject reference;
    private static List<String> referenceLines;
    private static Map<String, String> sections;

    @BeforeAll
    static void read() throws IOException {
        String text;
        try (InputStream in = SettingsLoader.class.getClassLoader().getResourceAsStream("reference.conf")) {
            assertThat(in).as("reference.conf on the classpath").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        referenceLines = text.lines().toList();
        // Unresolved on purpose: ${?PGWARDEN_ADMIN_TOKEN} is the default the page must show.
        reference = ConfigFactory.parseString(text, ConfigParseOptions.defaults()).root();
        sections = sections(Files.readString(REFERENCE_PAGE));
    }

    @Test
    void everyKeyOfReferenceConfIsDocumented() {
        assertThat(sections.keySet()).containsAll(referenceKeys());
    }

    @Test
    void everyDocumentedKeyIsAKeyOfReferenceConf() {
        assertThat(referenceKeys()).containsAll(sections.keySet());
    }

    @Test
    void everyDocumentedListElementKeyIsAcceptedByTheLoader() {
        SettingsLoader loader = new SettingsLoader(ENVIRONMENT);
        List<String> elementKeys = sections.keySet().stream().filter(key -> key.contains("[].")).toList();
        assertThat(elementKeys).contains("pgwarden.listeners[].port", "pgwarden.backends[].priority");
        for (String key : elementKeys) {
            assertThat(unknownKeyProblems(loader, key)).as("problems of %s", key).isEmpty();
        }
        // The check above can fail: a key that does not exist is reported.
        assertThat(unknownKeyProblems(loader, "pgwarden.backends[].weight")).isNotEmpty();
    }

    @Test
    void eachKeyHasOneHeadingOnly() throws IOException {
        List<String> headings = Files.readString(REFERENCE_PAGE).lines()
                .map(KEY_HEADING::matcher)
                .filter(Matcher::matches)
                .map(matcher -> matcher.group(1))
                .toList();
        assertThat(headings).doesNotHaveDuplicates().hasSameSizeAs(sections.keySet());
    }

    @Test
    void everyKeyStatesTypeDefaultAndExample() {
        assertThat(sections).allSatisfy((key, body) -> {
            assertThat(body).as(key).contains("**Type** ").containsPattern("\\*\\*Default\\*\\* \\S");
            assertThat(EXAMPLE.matcher(body).results().count()).as("examples of %s", key).isEqualTo(1);
        });
    }

    @Test
    void everyValueKeyStatesItsAllowedValues() {
        List<String> valueKeys = sections.keySet().stream().filter(key -> !isContainer(key)).toList();
        assertThat(valueKeys).hasSizeGreaterThan(40);
        assertThat(valueKeys).allSatisfy(key -> assertThat(sections.get(key)).as(key).contains("**Allowed** "));
    }

    @Test
    void documentedDefaultsAreTheDefaultsOfReferenceConf() {
        Map<String, ConfigValue> values = scalarValues();
        assertThat(values).containsKeys("pgwarden.health.interval", "pgwarden.admin.token");
        assertThat(values).allSatisfy((key, value) -> {
            assertThat(sections).as("documented keys").containsKey(key);
            Matcher documented = DEFAULT.matcher(sections.get(key));
            assertThat(documented.find()).as("a **Default** `...` under %s", key).isTrue();
            assertThat(unquote(documented.group(1))).as("default of %s", key).isEqualTo(written(value));
        });
    }

    @Test
    void choicesListExactlyTheAllowedConstants() {
        assertThat(CHOICES).allSatisfy((key, type) -> {
            String body = sections.get(key);
            int start = body.indexOf("**Allowed** ");
            assertThat(start).as("**Allowed** under %s", key).isNotNegative();
            int end = body.indexOf("\n\n", start);
            // The allowed values, before any "; only when ..." remark.
            String values = body.substring(start, end < 0 ? body.length() : end).split(";")[0];
            Set<String> documented = CODE_SPAN.matcher(values).results()
                    .map(match -> match.group(1))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> constants = Arrays.stream(type.getEnumConstants())
                    .map(ConfigEnum::configName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(documented).as("allowed values of %s", key).isEqualTo(constants);
        });
    }

    @Test
    void everyExampleIsAcceptedForItsKey() {
        SettingsLoader loader = new SettingsLoader(ENVIRONMENT);
        assertThat(sections).allSatisfy((key, body) -> {
            Matcher example = EXAMPLE.matcher(body);
            assertThat(example.find()).as("example of %s", key).isTrue();
            String hocon = example.group(1);
            String lastSegment = key.substring(key.lastIndexOf('.') + 1).replace("[]", "");
            assertThat(hocon).as("example of %s names the key", key).contains(lastSegment);
            assertThat(problemsAbout(loader, hocon, key)).as("example of %s: %s", key, hocon).isEmpty();
        });
    }

    /**
     * Every path in reference.conf under {@code pgwarden}, objects included, and the keys of
     * list elements: those of the default elements, and those documented in the comment above
     * the list (an empty default list has no element to read them from).
     */
    private static Set<String> referenceKeys() {
        Set<String> keys = new TreeSet<>();
        ConfigObject root = (ConfigObject) reference.get(SettingsLoader.ROOT);
        collect(SettingsLoader.ROOT, root, keys);
        assertThat(keys).contains("pgwarden.listeners[].fallback-to-primary", "pgwarden.backends[].host",
                "pgwarden.failover.on-state-change.timeout");
        return keys;
    }

    private static void collect(String path, ConfigObject parent, Set<String> keys) {
        for (Map.Entry<String, ConfigValue> entry : parent.entrySet()) {
            String key = path + "." + entry.getKey();
            keys.add(key);
            ConfigValue value = entry.getValue();
            // instanceof, not valueType(): an unresolved ${?...} default has no type yet.
            if (value instanceof ConfigObject object) {
                collect(key, object, keys);
            } else if (value instanceof ConfigList list) {
                Set<String> elementKeys = new LinkedHashSet<>(commentedElementKeys(entry.getKey()));
                for (ConfigValue element : list) {
                    if (element instanceof ConfigObject elementObject) {
                        elementKeys.addAll(elementObject.keySet());
                    }
                }
                assertThat(elementKeys).as("element keys of %s", key).isNotEmpty();
                elementKeys.forEach(elementKey -> keys.add(key + "[]." + elementKey));
            }
        }
    }

    /** The keys listed in the comment block directly above the line that sets {@code listKey}. */
    private static List<String> commentedElementKeys(String listKey) {
        int line = -1;
        for (int i = 0; i < referenceLines.size(); i++) {
            if (referenceLines.get(i).trim().matches(Pattern.quote(listKey) + "\\s*=.*")) {
                line = i;
                break;
            }
        }
        assertThat(line).as("line setting %s in reference.conf", listKey).isPositive();
        List<String> keys = new ArrayList<>();
        for (int i = line - 1; i >= 0 && referenceLines.get(i).trim().startsWith("#"); i--) {
            Matcher key = ELEMENT_KEY_COMMENT.matcher(referenceLines.get(i));
            if (key.find()) {
                keys.add(0, key.group(1));
            }
        }
        return keys;
    }

    /** Keys of reference.conf with a single value (not an object, not a list), and that value. */
    private static Map<String, ConfigValue> scalarValues() {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        collectScalars(SettingsLoader.ROOT, (ConfigObject) reference.get(SettingsLoader.ROOT), values);
        return values;
    }

    private static void collectScalars(String path, ConfigObject object, Map<String, ConfigValue> values) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String key = path + "." + entry.getKey();
            ConfigValue value = entry.getValue();
            if (value instanceof ConfigObject child) {
                collectScalars(key, child, values);
            } else if (!(value instanceof ConfigList)) {
                values.put(key, value);
            }
        }
    }

    /** The value as an operator writes it: {@code 250ms}, {@code automatic}, {@code ${?VAR}}. */
    private static String written(ConfigValue value) {
        try {
            return String.valueOf(value.unwrapped());
        } catch (RuntimeException unresolved) {
            // A substitution: its expression is the default.
            return value.render();
        }
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1)
                : text;
    }

    private static boolean isContainer(String key) {
        if (key.contains("[]")) {
            return false;
        }
        // Walked by hand: Config.getValue refuses the unresolved ${?...} defaults.
        ConfigValue value = reference;
        for (String segment : key.split("\\.")) {
            value = ((ConfigObject) value).get(segment);
        }
        return value instanceof ConfigObject || value instanceof ConfigList;
    }

    /** Problems reported for {@code key} (or below it) when the example is loaded. */
    private static List<String> problemsAbout(SettingsLoader loader, String hocon, String key) {
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class, () -> loader.parse(hocon));
        if (rejected == null) {
            return List.of();
        }
        String path = key.replace("[]", "[0]");
        return rejected.problems().stream()
                .filter(problem -> problem.key().equals(path) || problem.key().startsWith(path + ".")
                        || problem.key().startsWith(path + "[")
                        || key.contains("[]") && problem.key().startsWith(path.substring(0, path.indexOf("[0]"))))
                // Paths in examples are illustrative; whether the files exist here is beside the point.
                .filter(problem -> !problem.message().equals("not a readable file"))
                .map(ConfigProblem::describe)
                .toList();
    }

    /** "unknown key" problems when a list element sets {@code key} (e.g. {@code pgwarden.backends[].priority}). */
    private static List<String> unknownKeyProblems(SettingsLoader loader, String key) {
        String list = key.substring(0, key.indexOf("[]"));
        String elementKey = key.substring(key.indexOf("[].") + 3);
        String hocon = list + " = [{ " + elementKey + " = \"x\" }]";
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class, () -> loader.parse(hocon));
        if (rejected == null) {
            return List.of();
        }
        String path = list + "[0]." + elementKey;
        return rejected.problems().stream()
                .filter(problem -> problem.key().equals(path) && problem.message().startsWith("unknown key"))
                .map(ConfigProblem::describe)
                .toList();
    }

    /** Heading path to the text below it, up to the next heading of any level. */
    private static Map<String, String> sections(String page) {
        Map<String, String> sections = new LinkedHashMap<>();
        Optional<String> current = Optional.empty();
        StringBuilder body = new StringBuilder();
        boolean inCodeBlock = false;
        for (String line : page.lines().toList()) {
            if (line.startsWith("```")) {
                inCodeBlock = !inCodeBlock;
            }
            if (!inCodeBlock && line.startsWith("#")) {
                current.ifPresent(key -> sections.put(key, body.toString()));
                body.setLength(0);
                Matcher heading = KEY_HEADING.matcher(line);
                current = heading.matches() ? Optional.of(heading.group(1)) : Optional.empty();
            } else {
                body.append(line).append('\n');
            }
        }
        current.ifPresent(key -> sections.put(key, body.toString()));
        return sections;
    }
}
