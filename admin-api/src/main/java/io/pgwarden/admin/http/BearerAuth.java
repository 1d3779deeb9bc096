package io.pgwarden.admin.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.pgwarden.config.Secret;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The bearer-token check of the admin API ({@code Authorization: Bearer <token>}, RFC 6750).
 *
 * <ul>
 *   <li>{@link Access#OPEN}: never checked.</li>
 *   <li>{@link Access#READ}: checked only when {@code read-requires-token} is set.</li>
 *   <li>{@link Access#MUTATE}: always checked. With no token configured every mutation is
 *       refused with 403: no credential could make it succeed, so 401 would mislead.</li>
 * </ul>
 * A missing or malformed header is a 401 with {@code WWW-Authenticate: Bearer}; a wrong token is
 * a 403. Tokens are compared in constant time and never logged or echoed.
 */
public final class BearerAuth {

    static final String CHALLENGE = "Bearer realm=\"pgwarden\"";
    private static final String SCHEME = "bearer ";

    private final Optional<Secret> token;
    private final boolean readRequiresToken;

    public BearerAuth(Optional<Secret> token, boolean readRequiresToken) {
        this.token = Objects.requireNonNull(token, "token");
        this.readRequiresToken = readRequiresToken;
    }

    /** @throws ApiException 401 or 403 when the request may not call an endpoint of {@code access} */
    public void check(Access access, HttpHeaders headers) {
        if (access == Access.OPEN || (access == Access.READ && !readRequiresToken)) {
            return;
        }
        if (token.isEmpty()) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden",
                    "mutating endpoints are disabled: no admin token is configured; set pgwarden.admin.token"
                            + " or the environment variable PGWARDEN_ADMIN_TOKEN and restart pgwarden");
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("this endpoint needs 'Authorization: Bearer <token>'");
        }
        if (authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw unauthorized("the Authorization header must use the Bearer scheme");
        }
        String presented = authorization.substring(SCHEME.length()).trim();
        if (!token.get().matches(presented)) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", "the bearer token is not valid");
        }
    }

    private static ApiException unauthorized(String detail) {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", detail, List.of(),
                Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), CHALLENGE));
    }
}
