package io.pgwarden.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads {@link PgwardenSettings} from HOCON: the operator's file layered over the
 * {@code reference.conf} of this module, substitutions such as {@code ${?PGWARDEN_ADMIN_TOKEN}}
 * resolved from the environment given at construction, then every value validated. Any
 * problem, in syntax or in values, ends in one {@link InvalidConfigException} listing all of them.
 *
 * <p>Only {@code pgwarden} is read. Other top-level keys in the file are allowed, as helpers for
 * substitutions, except names so close to {@code pgwarden} that they must be a typo of it.
 * Java system properties are not consulted: the file and the environment are the whole input.
 */
public final class SettingsLoader {

    static final String ROOT = "pgwarden";
    private static final Pattern TYPESAFE_HINT = Pattern.compile("\\s*\\(if you (intended|want) .*\\)$");

    private final Map<String, String> environment;
    private final Config reference;

    /** A loader that resolves substitutions from the process environment. */
    public SettingsLoader() {
        this(System.getenv());
    }

    /** A loader that resolves substitutions from the given variables only (tests, reload with a fixed environment). */
    public SettingsLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf",
                        ConfigParseOptions.defaults().setAllowMissing(false))
                .withOnlyPath(ROOT);
    }

    /**
     * Loads a configuration file (HOCON; {@code include} works relative to it).
     *
     * @throws InvalidConfigException when the file cannot be read, does not parse, or holds invalid values
     */
    public PgwardenSettings load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw wholeFileProblem("cannot read configuration file: no such readable file", Optional.of(file.toString()));
        }
        Config user;
        try {
            user = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException unparsable) {
            throw wholeFileProblem(unparsable);
        }
        return bind(user);
    }

    /**
     * Parses configuration text, for tests and for configuration that does not come from a file.
     * Problem locations read {@code line N}.
     *
     * @throws InvalidConfigException when the text does not parse or holds invalid values
     */
    public PgwardenSettings parse(String hocon) {
        Config user;
        try {
            user = ConfigFactory.parseString(hocon,
                    ConfigParseOptions.defaults().setOriginDescription("configuration text").setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException unparsable) {
            throw wholeFileProblem(unparsable);
        }
        return bind(user);
    }

    /** The settings of reference.conf alone (with this loader's environment). */
    public PgwardenSettings defaults() {
        return bind(ConfigFactory.empty());
    }

    private PgwardenSettings bind(Config user) {
        Problems problems = new Problems();
        reportMisspelledRoot(user, problems);
        Config resolved;
        try {
            // The environment is the last fallback at the root, which is where Typesafe Config
            // itself looks up ${VAR} when it reads the real environment.
            Config environmentConfig = ConfigValueFactory.fromMap(environment, "environment").toConfig();
            resolved = user.withFallback(reference).withFallback(environmentConfig)
                    .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false).setAllowUnresolved(true));
        } catch (ConfigException unresolvable) {
            // Cycles and similar: the whole tree is unusable, so this is the one problem to report.
            problems.addWhole(withoutOrigin(unresolvable), Problems.location(unresolvable.origin()));
            throw new InvalidConfigException(problems.all());
        }
        ConfigValue root = resolved.root().get(ROOT);
        if (!isObject(root)) {
            problems.locate(ROOT, root.origin());
            problems.add(ROOT, Optional.of(Section.render(root)), "not an object (a { ... } block)");
            throw new InvalidConfigException(problems.all());
        }
        PgwardenSettings settings = new SettingsBinder().bind(new Section(ROOT, (ConfigObject) root, problems));
        new ConsistencyChecks(problems).check(settings);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems.all());
        }
        return settings;
    }

    /** {@code pgwardn { ... }} would otherwise be ignored silently and every default would apply. */
    private static void reportMisspelledRoot(Config user, Problems problems) {
        for (Map.Entry<String, ConfigValue> entry : user.root().entrySet()) {
            String key = entry.getKey();
            if (!key.equals(ROOT) && KeySuggestions.closest(key, Set.of(ROOT)).isPresent()) {
                problems.locate(key, entry.getValue().origin());
                problems.add(key, Optional.empty(), "unknown key; did you mean " + ROOT + "?");
            }
        }
    }

    private static boolean isObject(ConfigValue value) {
        try {
            return value.valueType() == ConfigValueType.OBJECT;
        } catch (ConfigException.NotResolved unresolved) {
            return false;
        }
    }

    private static InvalidConfigException wholeFileProblem(ConfigException cause) {
        String prefix = cause instanceof ConfigException.Parse ? "syntax error: " : "";
        return wholeFileProblem(prefix + withoutOrigin(cause), Problems.location(cause.origin()));
    }

    private static InvalidConfigException wholeFileProblem(String message, Optional<String> location) {
        Problems problems = new Problems();
        problems.addWhole(message, location);
        return new InvalidConfigException(problems.all());
    }

    /**
     * Typesafe Config starts its messages with the origin, which the problem's location already
     * shows, and ends syntax errors with a hint to rename the file to .properties, which does
     * not apply to pgwarden.
     */
    private static String withoutOrigin(ConfigException cause) {
        String message = cause.getMessage();
        if (cause.origin() != null) {
            String prefix = cause.origin().description() + ": ";
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
        }
        return TYPESAFE_HINT.matcher(message).replaceFirst("");
    }
}
