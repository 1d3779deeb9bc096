package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.cluster.junit.LocalClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failover scenario on the installed PostgreSQL, SCRAM everywhere, standbys made by the low-level backup API. */
class InstalledBinariesFailoverIT extends FailoverScenario {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(2)
            .authMethod(AuthMethod.SCRAM_SHA_256)
            .build());

    @Override
    LocalCluster cluster() {
        return PG.cluster();
    }

    @Override
    void assertExpectedBinaries(PgBinaries binaries) {
        assertThat(binaries.origin()).isIn(PgBinaries.Origin.ENVIRONMENT, PgBinaries.Origin.PG_CONFIG,
                PgBinaries.Origin.INSTALLED);
        assertThat(binaries.pgRewind()).isPresent();
    }

    @Override
    RejoinMethod expectedRejoinMethod() {
        return RejoinMethod.REWIND;
    }
}
