package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Loads configuration text with an empty environment and returns what was rejected. */
final class Loading {

    private Loading() {
    }

    static PgwardenSettings parse(String hocon) {
        return new SettingsLoader(Map.of()).parse(hocon);
    }

    static List<ConfigProblem> problemsOf(String hocon) {
        InvalidConfigException rejected =
                catchThrowableOfType(InvalidConfigException.class, () -> parse(hocon));
        assertThat(rejected).as("configuration should be rejected:%n%s", hocon).isNotNull();
        return rejected.problems();
    }

    /** The problem lines as an operator reads them, without locations. */
    static List<String> linesOf(String hocon) {
        return problemsOf(hocon).stream()
                .map(problem -> new ConfigProblem(problem.key(), problem.value(), problem.message(),
                        Optional.empty()).describe())
                .toList();
    }
}
