package io.pgwarden.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every admin subcommand shares. */
public final class AdminOptions {

    @Option(names = "--admin-url", paramLabel = "URL",
            description = "Admin API of the pgwarden to talk to (default: $" + AdminEndpoint.URL_VARIABLE + ", else "
                    + AdminEndpoint.DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token for commands that change something (default: $" + AdminEndpoint.TOKEN_VARIABLE
                    + "; prefer the variable: a flag is visible to other users in the process list)")
    String token;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "PEM certificate to trust for an https admin URL with a private certificate")
    Path caCertificate;

    AdminEndpoint endpoint() {
        return AdminEndpoint.resolve(url, token, caCertificate, System.getenv());
    }
}
