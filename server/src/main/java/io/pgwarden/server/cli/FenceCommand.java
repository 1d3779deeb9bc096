package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.NodeCommandView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pgwarden fence NODE}. */
@Command(name = "fence", mixinStandardHelpOptions = true,
        description = "Fences a backend: no session is routed to it any more, its sessions end, the fence action runs"
                + " (POST /api/v1/nodes/NODE/fence). Fencing the elected primary leaves none elected.")
public final class FenceCommand extends AdminCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "Backend name")
    String node;

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        out.println(admin.post("/api/v1/nodes/" + PathSegment.of(node) + "/fence", null, NodeCommandView.class,
                "fence of " + node).message());
    }
}
