package io.pgwarden.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that calls the admin API of a running pgwarden. Failures are one line on stderr,
 * {@code pgwarden: ...}, and a non-zero exit status: 1 refused or failed, 2 bad usage or invalid
 * configuration, 3 admin API unreachable, 4 token missing or wrong.
 */
abstract class AdminCommand implements Callable<Integer> {

    /** Exit status for bad usage and an invalid configuration, as for {@code check-config}. */
    static final int INVALID = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions options;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            AdminEndpoint endpoint;
            try {
                endpoint = options.endpoint();
            } catch (IllegalArgumentException e) {
                err.println("pgwarden: " + e.getMessage());
                return INVALID;
            }
            run(new AdminClient(endpoint), out);
            return 0;
        } catch (AdminCallFailed e) {
            err.println("pgwarden: " + e.getMessage());
            return e.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    abstract void run(AdminClient admin, PrintWriter out) throws AdminCallFailed;
}
