package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.TrafficView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code pgwarden resume}. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Lets held transactions and sessions go on (POST /api/v1/resume).")
public final class ResumeCommand extends AdminCommand {

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        TrafficView traffic = admin.post("/api/v1/resume", null, TrafficView.class, "resume");
        out.println(traffic.paused() ? "traffic is still paused" : "traffic resumed");
    }
}
