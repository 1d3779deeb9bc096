package io.pgwarden.health.action;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What an action did.
 *
 * @param kind which action
 * @param description what ran, e.g. {@code sh -c '...'} or {@code built-in pg_promote()}
 * @param status how it ended
 * @param exitCode exit code of a shell command that exited by itself
 * @param output captured stdout and stderr of a command (bounded), or a message of a built-in
 * @param duration how long it ran
 */
public record ActionResult(
        ActionKind kind, String description, ActionStatus status, OptionalInt exitCode, String output,
        Duration duration) {

    public ActionResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(duration, "duration");
    }

    public boolean succeeded() {
        return status == ActionStatus.SUCCEEDED;
    }

    public static ActionResult notRun(ActionKind kind, String description, String why) {
        return new ActionResult(kind, description, ActionStatus.NOT_RUN, OptionalInt.empty(), why, Duration.ZERO);
    }

    /** One line for logs and event messages. */
    public String summary() {
        StringBuilder line = new StringBuilder(kind.configName()).append(' ').append(status.name().toLowerCase())
                .append(" (").append(description);
        exitCode.ifPresent(code -> line.append(", exit ").append(code));
        line.append(", ").append(duration.toMillis()).append(" ms)");
        return line.toString();
    }
}
