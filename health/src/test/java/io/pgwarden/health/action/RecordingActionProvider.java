package io.pgwarden.health.action;

import io.pgwarden.config.ActionSettings;
import io.pgwarden.health.probe.MonitorConnector;
import java.time.Duration;
import java.util.OptionalInt;

/** A Java action provider found through {@code META-INF/services}, as a plug-in jar would be. */
public final class RecordingActionProvider implements ActionProvider {

    @Override
    public String name() {
        return "test-recorder";
    }

    @Override
    public FailoverAction create(ActionKind kind, ActionSettings settings, MonitorConnector connector) {
        return new FailoverAction() {
            @Override
            public String description() {
                return "java:test-recorder " + kind.configName() + " within " + settings.timeout().toMillis() + " ms";
            }

            @Override
            public ActionResult run(ActionRequest request) {
                return new ActionResult(kind, description(), ActionStatus.SUCCEEDED, OptionalInt.empty(),
                        "would " + kind.configName() + " " + request.node().map(node -> node.name()).orElse("-"),
                        Duration.ZERO);
            }
        };
    }
}
