package io.pgwarden.cluster;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A finished command: what ran, how it exited, and its merged stdout and stderr.
 *
 * @param command the program and its arguments
 * @param exitCode the exit status
 * @param output stdout and stderr, interleaved
 */
record CommandResult(List<String> command, int exitCode, String output) {

    CommandResult {
        command = List.copyOf(command);
    }

    boolean succeeded() {
        return exitCode == 0;
    }

    /** The command as a shell would show it, for error messages. */
    String commandLine() {
        return commandLine(command);
    }

    static String commandLine(List<String> command) {
        return command.stream()
                .map(arg -> arg.isEmpty() || arg.chars().anyMatch(c -> " '\"\\$".indexOf(c) >= 0)
                        ? "'" + arg.replace("'", "'\\''") + "'"
                        : arg)
                .collect(Collectors.joining(" "));
    }

    /** "`cmd` exited with N: output", for error messages. */
    String describe() {
        String trimmed = output.strip();
        return "`" + commandLine() + "` exited with " + exitCode + (trimmed.isEmpty() ? "" : ":\n" + trimmed);
    }
}
