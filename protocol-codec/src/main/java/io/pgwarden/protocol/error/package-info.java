/**
 * The fields shared by ErrorResponse and NoticeResponse: {@link
 * io.pgwarden.protocol.error.Severity}, {@link io.pgwarden.protocol.error.ErrorField} and the
 * accessors of {@link io.pgwarden.protocol.error.ErrorOrNotice}. The messages themselves, with
 * their builders, are {@link io.pgwarden.protocol.message.backend.ErrorResponse} and {@link
 * io.pgwarden.protocol.message.backend.NoticeResponse}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-error-fields.html">Error and Notice Message Fields</a>
 */
package io.pgwarden.protocol.error;
