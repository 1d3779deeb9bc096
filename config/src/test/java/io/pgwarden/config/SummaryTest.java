package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void summaryCountsListenersAndBackendsAndNamesTheFailoverMode() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden {
                  backends = [ { name = pg1, host = a }, { name = pg2, host = b }, { name = pg3, host = c } ]
                  failover.mode = manual
                  admin.token = secret-token
                }
                """);
        assertThat(settings.summary()).isEqualTo("2 listeners (rw 127.0.0.1:6432 primary, ro 127.0.0.1:6433 standby), "
                + "3 backends (pg1, pg2, pg3), failover manual, admin 127.0.0.1:6480");
    }

    @Test
    void singularNounsAndDisabledAdmin() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden {
                  listeners = [ { name = only, host = "::", port = 5000, route = primary } ]
                  backends = [ { name = pg1, host = a } ]
                  admin.enabled = false
                }
                """);
        assertThat(settings.summary())
                .isEqualTo("1 listener (only [::]:5000 primary), 1 backend (pg1), failover automatic, admin off");
    }

    @Test
    void noBackends() {
        assertThat(Loading.parse("").summary()).contains(", 0 backends, ");
    }
}
