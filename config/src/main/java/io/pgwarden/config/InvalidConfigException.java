package io.pgwarden.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found in it (validation never stops
 * at the first). {@link #getMessage()} has one {@link ConfigProblem#describe() line} per problem.
 */
public final class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems in the order they were found: section by section, checks across sections last. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::describe).collect(Collectors.joining("\n"));
    }
}
