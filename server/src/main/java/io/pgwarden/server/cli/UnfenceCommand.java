package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.NodeCommandView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pgwarden unfence NODE}. */
@Command(name = "unfence", mixinStandardHelpOptions = true,
        description = "Lets a fenced backend be routed to again (POST /api/v1/nodes/NODE/unfence); refused while it"
                + " reports itself writable without being the elected primary.")
public final class UnfenceCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "Backend name")
    String node;

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        out.println(admin.post("/api/v1/nodes/" + PathSegment.of(node) + "/unfence", null, NodeCommandView.class,
                "unfence of " + node).message());
    }
}
