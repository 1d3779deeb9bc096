package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.FailoverView;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgwarden switchover [--to NODE]}: a planned change of primary. */
@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = {"Hands the primary role to a standby with no data lost: new transactions are held, the"
                + " standby catches up and is promoted, the old primary is fenced, traffic resumes"
                + " (POST /api/v1/switchover).", "Waits until it is done."})
public final class SwitchoverCommand extends AdminCommand {

    @Option(names = "--to", paramLabel = "NODE", description = "Standby to promote (default: the best candidate)")
    String to;

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        FailoverView result = admin.post("/api/v1/switchover", to == null ? null : admin.object("to", to),
                FailoverView.class, "switchover");
        print(result, out);
    }

    static void print(FailoverView result, PrintWriter out) {
        out.println(result.operation() + " done: " + result.newPrimary() + " is the primary of epoch " + result.epoch()
                + (result.oldPrimary() == null ? "" : " (was " + result.oldPrimary() + ", now fenced)")
                + String.format(Locale.ROOT, " in %.1f s", result.durationMs() / 1000));
        out.println(result.message());
    }
}
