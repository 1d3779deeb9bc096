package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The user switch depends on who runs the tests; each branch is checked where it applies. */
class ServerUserTest {
    private static final String MISSING_USER = "pgwarden-no-such-user";

    @Test
    void asRootAMissingServerUserIsAClearErrorOtherwiseTheCurrentUserRunsTheServers() {
        if (ServerUser.isRoot()) {
            assertThatThrownBy(() -> ServerUser.detect(MISSING_USER, new CommandRunner()))
                    .isInstanceOf(LocalClusterException.class)
                    .hasMessageContaining("runs as root")
                    .hasMessageContaining("'" + MISSING_USER + "'")
                    .hasMessageContaining("no such user exists");
        } else {
            ServerUser user = ServerUser.detect(MISSING_USER, new CommandRunner());
            assertThat(user.name()).isEqualTo(System.getProperty("user.name"));
            assertThat(user.switchesUser()).isFalse();
            assertThat(user.command(List.of("initdb"))).containsExactly("initdb");
        }
    }

    @Test
    void rootIsNeverAServerUser() {
        if (ServerUser.isRoot()) {
            assertThatThrownBy(() -> ServerUser.detect("root", new CommandRunner()))
                    .isInstanceOf(LocalClusterException.class)
                    .hasMessageContaining("refuses to run as root");
        } else {
            assertThat(ServerUser.detect("root", new CommandRunner()).switchesUser()).isFalse();
        }
    }

    @Test
    void isRootAgreesWithTheUserName() {
        assertThat(ServerUser.isRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }
}
