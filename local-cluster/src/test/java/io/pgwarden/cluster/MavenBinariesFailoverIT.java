package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.cluster.junit.LocalClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failover scenario on the binaries from Maven Central (no pg_basebackup, no pg_rewind), forced even
 * though others are installed; MD5 authentication, replication included.
 */
class MavenBinariesFailoverIT extends FailoverScenario {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(2)
            .mavenBinaries()
            .authMethod(AuthMethod.MD5)
            .build());

    @Override
    LocalCluster cluster() {
        return PG.cluster();
    }

    @Override
    void assertExpectedBinaries(PgBinaries binaries) {
        assertThat(binaries.origin()).isEqualTo(PgBinaries.Origin.MAVEN);
        assertThat(binaries.binDir()).startsWith(PG.cluster().settings().baseDir());
        assertThat(binaries.tool("pg_basebackup")).isEmpty();
        assertThat(binaries.pgRewind()).isEmpty();
    }

    @Override
    RejoinMethod expectedRejoinMethod() {
        return RejoinMethod.CLONE;
    }
}
