package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.ReloadView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code pgwarden reload}. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Makes the running pgwarden re-read its configuration file (POST /api/v1/reload).",
                "An invalid file is refused whole, with every problem, and the running configuration stays."})
public final class ReloadCommand extends AdminCommand {

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        ReloadView reload = admin.post("/api/v1/reload", null, ReloadView.class, "reload");
        if (reload.applied().isEmpty() && reload.restartRequired().isEmpty()) {
            out.println("reloaded: nothing changed");
            return;
        }
        out.println("reloaded: " + reload.applied().size() + " change(s) applied");
        reload.applied().forEach(change -> out.println("  " + change));
        if (!reload.restartRequired().isEmpty()) {
            out.println("waiting for a restart:");
            reload.restartRequired().forEach(change -> out.println("  " + change));
        }
    }
}
