package io.pgwarden.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One admin request, detached from Netty's buffers so that an endpoint may answer it on another
 * thread.
 *
 * @param method HTTP method
 * @param path decoded path without the query, e.g. {@code /api/v1/nodes/pg2/fence}
 * @param pathParameters values of the {@code {name}} segments of the matched route
 * @param query query parameters
 * @param headers request headers
 * @param body request body, empty when there was none
 * @param remoteAddress the client, for logs
 * @param json the mapper that reads the body
 */
public record ApiRequest(
        HttpMethod method,
        String path,
        Map<String, String> pathParameters,
        Map<String, List<String>> query,
        HttpHeaders headers,
        byte[] body,
        String remoteAddress,
        ObjectMapper json) {

    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(json, "json");
    }

    /** The value of a {@code {name}} segment of the route. */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no {" + name + "} segment");
        }
        return value;
    }

    /** The single value of a query parameter; a parameter given twice is a 400. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("query parameter '" + name + "' is given " + values.size() + " times");
        }
        return Optional.of(values.get(0));
    }

    /**
     * The body read as {@code type}, a record of the fields the endpoint accepts; {@code absent}
     * when the body is empty. Malformed JSON, a value that is not an object, and unknown fields are
     * 400s naming the problem.
     */
    public <T> T bodyAs(Class<T> type, T absent) {
        if (isBlank(body)) {
            return absent;
        }
        try {
            T value = json.readValue(body, type);
            return value == null ? absent : value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'; accepted: "
                    + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    /** Requires an empty body or an empty JSON object. */
    public void requireNoFields() {
        bodyAs(NoFields.class, NoFields.INSTANCE);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The body of endpoints that take no parameters: {@code {}} or nothing. */
    record NoFields() {
        static final NoFields INSTANCE = new NoFields();
    }
}
