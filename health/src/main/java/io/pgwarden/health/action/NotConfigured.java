package io.pgwarden.health.action;

import java.util.Objects;

/** An action without a command and without a built-in: nothing runs. */
final class NotConfigured implements FailoverAction {

    private final ActionKind kind;

    NotConfigured(ActionKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String description() {
        return "none configured";
    }

    @Override
    public ActionResult run(ActionRequest request) {
        return ActionResult.notRun(kind, description(), "no command configured for " + kind.configName());
    }
}
