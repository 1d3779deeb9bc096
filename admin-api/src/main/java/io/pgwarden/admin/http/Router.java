package io.pgwarden.admin.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps a method and a path to an endpoint. Patterns are literal segments and {@code {name}}
 * segments matching any one non-empty segment: {@code /api/v1/nodes/{name}/fence}. A path that
 * matches a pattern only under another method is a 405, not a 404.
 */
public final class Router {

    private final List<Route> routes = new ArrayList<>();

    /** One route. */
    public record Route(HttpMethod method, String pattern, Access access, Endpoint endpoint) {
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(endpoint, "endpoint");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a pattern starts with '/': " + pattern);
            }
        }

        List<String> segments() {
            return Router.segments(pattern);
        }
    }

    /** What a path resolves to. */
    public sealed interface Match {
    }

    /** A route and the values of its {@code {name}} segments. */
    public record Found(Route route, Map<String, String> parameters) implements Match {
    }

    /** The path exists under other methods only. */
    public record WrongMethod(Set<HttpMethod> allowed) implements Match {
    }

    public record NotFound() implements Match {
    }

    public Router add(HttpMethod method, String pattern, Access access, Endpoint endpoint) {
        Route route = new Route(method, pattern, access, endpoint);
        for (Route existing : routes) {
            if (existing.method().equals(method) && existing.segments().equals(route.segments())) {
                throw new IllegalArgumentException("duplicate route " + method + " " + pattern);
            }
        }
        routes.add(route);
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** @param path the decoded path, without the query */
    public Match match(HttpMethod method, String path) {
        List<String> segments = segments(path);
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> parameters = bind(route.segments(), segments);
            if (parameters == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route, parameters);
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NotFound() : new WrongMethod(allowed);
    }

    private static Map<String, String> bind(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String expected = pattern.get(i);
            String actual = path.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                parameters.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return parameters;
    }

    /** {@code /a/b/} and {@code /a/b} are one path. */
    static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return List.of(trimmed.split("/", -1));
    }
}
