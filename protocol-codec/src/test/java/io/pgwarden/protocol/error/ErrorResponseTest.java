package io.pgwarden.protocol.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.SqlState;
import io.pgwarden.protocol.message.backend.ErrorResponse;
import io.pgwarden.protocol.message.backend.NoticeResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {

    private static ByteBuf body(String fields) {
        return Unpooled.wrappedBuffer(fields.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void builtErrorCarriesSeverityTwiceSqlStateAndMessage() {
        ErrorResponse error = ErrorResponse.of(Severity.FATAL, SqlState.ADMIN_SHUTDOWN,
                "terminating connection: failover to pg2");
        assertThat(error.fields()).containsExactly(
                new ErrorField(ErrorField.SEVERITY, "FATAL"),
                new ErrorField(ErrorField.SEVERITY_NON_LOCALIZED, "FATAL"),
                new ErrorField(ErrorField.CODE, "57P01"),
                new ErrorField(ErrorField.MESSAGE, "terminating connection: failover to pg2"));
        assertThat(error.severity()).hasValue(Severity.FATAL);
        assertThat(error.sqlState()).hasValue("57P01");
        assertThat(error.message()).hasValue("terminating connection: failover to pg2");
        assertThat(error.detail()).isEmpty();
    }

    @Test
    void detailAndHintAreAddedOnceAndReplacedWhenSetAgain() {
        ErrorResponse error = ErrorResponse.of(Severity.ERROR, SqlState.READ_ONLY_SQL_TRANSACTION, "read-only route")
                .withDetail("first").withHint("connect to the primary port").withDetail("second");
        assertThat(error.detail()).hasValue("second");
        assertThat(error.hint()).hasValue("connect to the primary port");
        assertThat(error.fields()).hasSize(6);
        assertThat(error.fields().get(4).code()).isEqualTo(ErrorField.DETAIL);
    }

    @Test
    void encodesStraightIntoABufferTheClientCanBeSent() {
        ErrorResponse error = ErrorResponse.of(Severity.FATAL, SqlState.TOO_MANY_CONNECTIONS, "too many clients");
        ByteBuf out = error.encode(ByteBufAllocator.DEFAULT);
        try {
            assertThat(out.readableBytes()).isEqualTo(error.encodedLength());
            assertThat(out.readByte()).isEqualTo((byte) 'E');
            assertThat(out.readInt()).isEqualTo(error.encodedLength() - 1);
            assertThat(ErrorResponse.decode(out)).isEqualTo(error);
        } finally {
            out.release();
        }
    }

    @Test
    void noticeSeverityIsRefusedForAnError() {
        assertThatThrownBy(() -> ErrorResponse.of(Severity.WARNING, SqlState.INTERNAL_ERROR, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorSeverityIsRefusedForANotice() {
        assertThatThrownBy(() -> NoticeResponse.of(Severity.ERROR, SqlState.WARNING, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noticeIsBuiltLikeAnError() {
        NoticeResponse notice = NoticeResponse.of(Severity.WARNING, SqlState.WARNING, "primary pg1 unreachable")
                .withHint("failover in progress");
        assertThat(notice.severity()).hasValue(Severity.WARNING);
        assertThat(notice.sqlState()).hasValue("01000");
        assertThat(notice.hint()).hasValue("failover in progress");
    }

    @Test
    void errorFromABackendWithOnlyAMessageIsToleratedAndReadsEmptyElsewhere() {
        ErrorResponse error = ErrorResponse.decode(body("Mboom\0\0"));
        assertThat(error.message()).hasValue("boom");
        assertThat(error.severity()).isEmpty();
        assertThat(error.localizedSeverity()).isEmpty();
        assertThat(error.sqlState()).isEmpty();
        assertThat(error.position()).isEmpty();
    }

    @Test
    void errorWithNoFieldsAtAllIsTolerated() {
        ErrorResponse error = ErrorResponse.decode(body("\0"));
        assertThat(error.fields()).isEmpty();
        assertThat(error.message()).isEmpty();
    }

    @Test
    void unknownFieldCodesAreKeptInPlaceForExactReEncoding() {
        byte[] wire = "SERROR\0Zfuture field\0C42601\0Mx\0\0".getBytes(StandardCharsets.UTF_8);
        ErrorResponse error = ErrorResponse.decode(Unpooled.wrappedBuffer(wire));
        assertThat(error.field((byte) 'Z')).hasValue("future field");
        ByteBuf out = Unpooled.buffer();
        error.encode(out);
        assertThat(ByteBufUtil.getBytes(out, 5, out.readableBytes() - 5)).isEqualTo(wire);
    }

    @Test
    void unlocalizedSeverityWinsOverTheLocalizedOne() {
        ErrorResponse error = ErrorResponse.decode(body("SFEHLER\0VERROR\0C22012\0MDivision durch Null\0\0"));
        assertThat(error.localizedSeverity()).hasValue("FEHLER");
        assertThat(error.severity()).hasValue(Severity.ERROR);
    }

    @Test
    void serverBefore96WithoutVStillHasItsEnglishSeverityRead() {
        assertThat(ErrorResponse.decode(body("SFATAL\0C28P01\0Mpassword\0\0")).severity()).hasValue(Severity.FATAL);
    }

    @Test
    void everyDocumentedFieldHasAnAccessor() {
        NoticeResponse notice = new NoticeResponse(List.of(
                new ErrorField(ErrorField.DETAIL, "d"), new ErrorField(ErrorField.HINT, "h"),
                new ErrorField(ErrorField.POSITION, "1"), new ErrorField(ErrorField.INTERNAL_POSITION, "2"),
                new ErrorField(ErrorField.INTERNAL_QUERY, "iq"), new ErrorField(ErrorField.WHERE, "w"),
                new ErrorField(ErrorField.SCHEMA_NAME, "s"), new ErrorField(ErrorField.TABLE_NAME, "t"),
                new ErrorField(ErrorField.COLUMN_NAME, "c"), new ErrorField(ErrorField.DATA_TYPE_NAME, "dt"),
                new ErrorField(ErrorField.CONSTRAINT_NAME, "n"), new ErrorField(ErrorField.FILE, "f.c"),
                new ErrorField(ErrorField.LINE, "7"), new ErrorField(ErrorField.ROUTINE, "r")));
        assertThat(List.of(notice.detail(), notice.hint(), notice.position(), notice.internalPosition(),
                notice.internalQuery(), notice.where(), notice.schemaName(), notice.tableName(), notice.columnName(),
                notice.dataTypeName(), notice.constraintName(), notice.file(), notice.line(), notice.routine()))
                .map(o -> o.orElseThrow())
                .containsExactly("d", "h", "1", "2", "iq", "w", "s", "t", "c", "dt", "n", "f.c", "7", "r");
    }
}
