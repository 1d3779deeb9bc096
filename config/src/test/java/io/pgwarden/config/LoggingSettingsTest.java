package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoggingSettingsTest {

    @Test
    void jsonAtDebugIsRead() {
        assertThat(Loading.parse("pgwarden.logging { format = json, level = DEBUG }").logging())
                .isEqualTo(new LoggingSettings(LogFormat.JSON, LogLevel.DEBUG));
    }

    @Test
    void unknownFormatAndLevelAreReported() {
        assertThat(linesOf("pgwarden.logging { format = xml, level = verbose }")).containsExactly(
                "pgwarden.logging.format = \"xml\": must be one of text, json",
                "pgwarden.logging.level = \"verbose\": must be one of trace, debug, info, warn, error");
    }
}
