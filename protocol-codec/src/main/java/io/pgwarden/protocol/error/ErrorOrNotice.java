package io.pgwarden.protocol.error;

import java.util.List;
import java.util.Optional;

/**
 * Read access to the fields of an ErrorResponse or NoticeResponse. A backend is untrusted: any
 * field, even the ones PostgreSQL always sends, may be missing, so every accessor returns an
 * {@link Optional}. When a code occurs more than once, the first occurrence counts.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-error-fields.html">Error and Notice Message Fields</a>
 */
public interface ErrorOrNotice {

    /** All fields in wire order, unknown codes included. */
    List<ErrorField> fields();

    /** The value of the first field with the given code. */
    default Optional<String> field(byte code) {
        for (ErrorField field : fields()) {
            if (field.code() == code) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The severity, from the unlocalized {@code V} field, or from {@code S} for servers before
     * 9.6 (whose {@code S} is only unlocalized if {@code lc_messages} is English).
     */
    default Optional<Severity> severity() {
        Optional<String> value = field(ErrorField.SEVERITY_NON_LOCALIZED).or(() -> field(ErrorField.SEVERITY));
        return value.flatMap(Severity::fromWire);
    }

    /** The {@code S} field: severity, possibly localized. */
    default Optional<String> localizedSeverity() {
        return field(ErrorField.SEVERITY);
    }

    /** The {@code C} field: the SQLSTATE code. */
    default Optional<String> sqlState() {
        return field(ErrorField.CODE);
    }

    /** The {@code M} field: the primary message. */
    default Optional<String> message() {
        return field(ErrorField.MESSAGE);
    }

    default Optional<String> detail() {
        return field(ErrorField.DETAIL);
    }

    default Optional<String> hint() {
        return field(ErrorField.HINT);
    }

    default Optional<String> position() {
        return field(ErrorField.POSITION);
    }

    default Optional<String> internalPosition() {
        return field(ErrorField.INTERNAL_POSITION);
    }

    default Optional<String> internalQuery() {
        return field(ErrorField.INTERNAL_QUERY);
    }

    default Optional<String> where() {
        return field(ErrorField.WHERE);
    }

    default Optional<String> schemaName() {
        return field(ErrorField.SCHEMA_NAME);
    }

    default Optional<String> tableName() {
        return field(ErrorField.TABLE_NAME);
    }

    default Optional<String> columnName() {
        return field(ErrorField.COLUMN_NAME);
    }

    default Optional<String> dataTypeName() {
        return field(ErrorField.DATA_TYPE_NAME);
    }

    default Optional<String> constraintName() {
        return field(ErrorField.CONSTRAINT_NAME);
    }

    default Optional<String> file() {
        return field(ErrorField.FILE);
    }

    default Optional<String> line() {
        return field(ErrorField.LINE);
    }

    default Optional<String> routine() {
        return field(ErrorField.ROUTINE);
    }
}
