package io.pgwarden.health.failover;

import io.pgwarden.health.action.ActionRequest;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.action.FailoverAction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** An action that records its requests and answers through a function the test can swap. */
final class RecordingAction implements FailoverAction {

    final List<ActionRequest> requests = new ArrayList<>();
    private final boolean needsReachableNode;
    Function<ActionRequest, ActionResult> behaviour;

    RecordingAction(boolean needsReachableNode, Function<ActionRequest, ActionResult> behaviour) {
        this.needsReachableNode = needsReachableNode;
        this.behaviour = behaviour;
    }

    @Override
    public String description() {
        return "recording action";
    }

    @Override
    public boolean needsReachableNode() {
        return needsReachableNode;
    }

    @Override
    public ActionResult run(ActionRequest request) {
        requests.add(request);
        return behaviour.apply(request);
    }

    List<String> nodes() {
        return requests.stream().map(request -> request.node().map(node -> node.name()).orElse("-")).toList();
    }
}
