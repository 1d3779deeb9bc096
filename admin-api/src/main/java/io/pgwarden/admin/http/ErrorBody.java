package io.pgwarden.admin.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON of every error response.
 *
 * @param error short, stable code: {@code bad-request}, {@code unauthorized}, {@code forbidden},
 *     {@code not-found}, {@code method-not-allowed}, {@code conflict}, {@code payload-too-large},
 *     {@code invalid-config}, {@code not-implemented}, {@code internal-error}
 * @param detail what happened, for a person
 * @param problems present for {@code invalid-config}: one line per problem, with its key path
 */
public record ErrorBody(
        String error, String detail, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> problems) {
}
