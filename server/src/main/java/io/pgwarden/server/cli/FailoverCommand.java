package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.FailoverView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgwarden failover [--to NODE]}: the operator's failover, for {@code failover.mode = manual}. */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Fails over from a lost primary: fences it and promotes a standby (POST /api/v1/failover).",
                "Refused while the primary is up (use switchover) or a standby still streams from it."})
public final class FailoverCommand extends AdminCommand {

    @Option(names = "--to", paramLabel = "NODE", description = "Standby to promote (default: the best candidate)")
    String to;

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        FailoverView result = admin.post("/api/v1/failover", to == null ? null : admin.object("to", to),
                FailoverView.class, "failover");
        SwitchoverCommand.print(result, out);
    }
}
