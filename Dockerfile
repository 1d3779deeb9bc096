# syntax=docker/dockerfile:1.7
#
# pgwarden container image.
#
#   docker build -t pgwarden:0.1.0 .
#   docker run --rm -p 6432:6432 -p 6433:6433 -p 6480:6480 \
#       -v "$PWD/pgwarden.conf:/etc/pgwarden/pgwarden.conf:ro" \
#       -v pgwarden-state:/var/lib/pgwarden \
#       -e PGWARDEN_ADMIN_TOKEN -e PGWARDEN_MONITOR_PASSWORD \
#       pgwarden:0.1.0
#
# The configuration comes from the mounted file; secrets come from the
# environment (the file leaves admin.token and monitor.password unset, and
# their defaults read PGWARDEN_ADMIN_TOKEN and PGWARDEN_MONITOR_PASSWORD).
# Inside a container the listeners and the admin API must bind 0.0.0.0: the
# defaults (127.0.0.1) cannot be reached from outside. See docs/deployment.md.

# ---------------------------------------------------------------- build stage
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src

# Every module of the reactor, since Maven reads them all even for -pl server.
COPY pom.xml ./
COPY config/ config/
COPY protocol-codec/ protocol-codec/
COPY local-cluster/ local-cluster/
COPY health/ health/
COPY proxy-core/ proxy-core/
COPY admin-api/ admin-api/
COPY server/ server/
COPY bench/jmh/ bench/jmh/
COPY bench/tools/ bench/tools/

# The cache mount keeps downloaded dependencies between builds without
# putting them in a layer.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests -pl server -am package

# The HEALTHCHECK client. curl and wget are not in the runtime image, and a
# JRE cannot run a .java source file (no compiler), so it is compiled here.
COPY <<'EOF' /build/healthcheck/HealthCheck.java
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Exit 0 when pgwarden's /healthz answers 2xx, 1 otherwise. The URL is the first argument, or
 * PGWARDEN_HEALTHCHECK_URL, or the default admin address.
 */
public final class HealthCheck {

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0]
                : System.getenv().getOrDefault("PGWARDEN_HEALTHCHECK_URL", "http://127.0.0.1:6480/healthz");
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (connection instanceof HttpsURLConnection https) {
                // The check asks the container's own admin listener over loopback; its certificate
                // names the service, not 127.0.0.1, so neither chain nor host name is checked.
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {new TrustAny()}, new SecureRandom());
                https.setSSLSocketFactory(tls.getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(3000);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            connection.disconnect();
            if (status < 200 || status > 299) {
                System.err.println("pgwarden healthcheck: " + url + " answered " + status);
                System.exit(1);
            }
        } catch (Exception e) {
            System.err.println("pgwarden healthcheck: " + url + ": " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static final class TrustAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
EOF
RUN javac --release 21 -d /build/healthcheck /build/healthcheck/HealthCheck.java

# -------------------------------------------------------------- runtime stage
# A JRE on Ubuntu: /bin/sh is there for action commands (run as /bin/sh -c).
FROM eclipse-temurin:21-jre

LABEL org.opencontainers.image.title="pgwarden" \
      org.opencontainers.image.description="PostgreSQL wire-protocol failover proxy"

# A fixed numeric UID/GID, so that Kubernetes' runAsNonRoot can verify it and
# volume permissions can be planned. /var/lib/pgwarden holds the state file.
RUN groupadd --system --gid 10001 pgwarden \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/pgwarden --no-create-home \
        --shell /usr/sbin/nologin pgwarden \
    && mkdir -p /etc/pgwarden /var/lib/pgwarden /opt/pgwarden \
    && chown 10001:10001 /var/lib/pgwarden \
    && chmod 0750 /var/lib/pgwarden

COPY --from=build /src/server/target/pgwarden.jar /opt/pgwarden/pgwarden.jar
COPY --from=build /build/healthcheck/HealthCheck.class /opt/pgwarden/healthcheck/

# `pgwarden` on the PATH: the entry point, and the same command for
# `docker exec ... pgwarden check-config` and the operator subcommands.
COPY --chmod=0755 <<'EOF' /usr/local/bin/pgwarden
#!/bin/sh
# PGWARDEN_JAVA_OPTS holds several options: it is split into words on purpose.
# exec: the JVM becomes PID 1 and receives the signals: SIGTERM stops pgwarden
# cleanly, SIGHUP reloads the configuration file.
# shellcheck disable=SC2086
exec java ${PGWARDEN_JAVA_OPTS:-} -jar /opt/pgwarden/pgwarden.jar "$@"
EOF

# Half of the container's memory for the heap leaves room for Netty's direct
# buffers; a JVM out of memory exits so that the orchestrator restarts it.
ENV PGWARDEN_JAVA_OPTS="-XX:MaxRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError" \
    PGWARDEN_HEALTHCHECK_URL="http://127.0.0.1:6480/healthz"

# The default relative failover.state-file (pgwarden-state.json) lands in the volume.
WORKDIR /var/lib/pgwarden
VOLUME ["/var/lib/pgwarden"]

# Read-write listener, read-only listener, admin API (defaults of reference.conf).
EXPOSE 6432 6433 6480

USER 10001:10001

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx32m", \
         "-cp", "/opt/pgwarden/healthcheck", "HealthCheck"]

ENTRYPOINT ["/usr/local/bin/pgwarden"]
CMD ["run", "--config", "/etc/pgwarden/pgwarden.conf"]
