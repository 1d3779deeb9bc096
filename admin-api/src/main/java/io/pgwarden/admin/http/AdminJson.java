package io.pgwarden.admin.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of the admin API, shared by the server and the {@code pgwarden} CLI:
 * snake_case names, and request bodies read strictly (unknown fields and trailing data are
 * errors), since a misspelt {@code "too": "pg2"} must not switch over to an arbitrary standby.
 */
public final class AdminJson {

    private AdminJson() {
    }

    /** A mapper for the server: strict on input. */
    public static ObjectMapper strict() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** A mapper for clients: fields added by a newer server are ignored. */
    public static ObjectMapper lenient() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
