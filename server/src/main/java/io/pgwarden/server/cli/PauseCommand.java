package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.TrafficView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code pgwarden pause}. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Holds new transactions and new sessions; running transactions finish (POST /api/v1/pause).")
public final class PauseCommand extends AdminCommand {

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        TrafficView traffic = admin.post("/api/v1/pause", null, TrafficView.class, "pause");
        out.println(traffic.paused() ? "traffic paused: new transactions are held until 'pgwarden resume'"
                : "traffic is not paused");
    }
}
