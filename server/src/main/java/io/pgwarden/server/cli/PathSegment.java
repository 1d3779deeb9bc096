package io.pgwarden.server.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A value placed in a URL path, percent-encoded so that a name cannot change the path. */
final class PathSegment {

    private PathSegment() {
    }

    static String of(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
