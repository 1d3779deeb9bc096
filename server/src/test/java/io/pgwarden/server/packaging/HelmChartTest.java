package io.pgwarden.server.packaging;

import static io.pgwarden.server.packaging.Manifests.at;
import static io.pgwarden.server.packaging.Manifests.list;
import static io.pgwarden.server.packaging.Manifests.map;
import static io.pgwarden.server.packaging.Manifests.maps;
import static io.pgwarden.server.packaging.Manifests.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.Secret;
import io.pgwarden.config.SettingsLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * helm/pgwarden, linted and rendered by the real Helm engine (helm-java embeds Helm's Go code),
 * and the rendered objects checked against each other and against pgwarden's own configuration
 * loader.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("../helm/pgwarden");
    private static final String RELEASE = "db";
    private static final String NAMESPACE = "prod";
    private static final String FULLNAME = "db-pgwarden";

    private static final String ADMIN_TOKEN = "tok-5d41402abc4b2a76b9719d911017c592";
    private static final String MONITOR_PASSWORD = "pw-7b52009b64fd0a2a49e6d8a939753077";

    /** A three-node cluster with everything that can differ from the defaults, differing. */
    private static final String PRODUCTION_VALUES = """
            image:
              repository: registry.example.internal/pgwarden
              tag: 0.1.0-rc1
            config:
              listeners:
                - { name: app, port: 7432, route: primary }
                - { name: reports, port: 7433, route: standby, balance: least-connections, fallback-to-primary: true }
                - { name: analytics, port: 7434, route: standby }
              backends:
                - { name: pg-0, host: pg-0.pg.db.svc.cluster.local }
                - { name: pg-1, host: pg-1.pg.db.svc.cluster.local }
                - { name: pg-2, host: pg-2.pg.db.svc.cluster.local, priority: 50 }
              monitor:
                user: pgwarden
              failover:
                mode: manual
                promote-timeout: 20s
              admin:
                port: 9480
                read-requires-token: true
              limits:
                hold-timeout: 1m
              logging:
                format: text
                level: debug
            secret:
              adminToken: %s
              monitorPassword: %s
            service:
              type: LoadBalancer
              ports:
                app: 5432
            serviceMonitor:
              enabled: true
              labels:
                release: prometheus
            persistence:
              storageClass: fast-ssd
            tls:
              secretName: pgwarden-tls
            resources:
              requests: { cpu: "1", memory: 1Gi }
              limits: { memory: 2Gi }
            """.formatted(ADMIN_TOKEN, MONITOR_PASSWORD);

    /** Several replicas are safe only when another manager promotes. */
    private static final String EXTERNAL_VALUES = """
            replicaCount: 3
            config:
              backends:
                - { name: pg-a, host: 10.0.1.21 }
                - { name: pg-b, host: 10.0.1.22 }
              failover:
                mode: external
            persistence:
              enabled: false
            secret:
              existingSecret: pgwarden-secrets
            """;

    @TempDir
    Path temp;

    @Test
    void chartPassesStrictLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }

    @Test
    void defaultValuesRenderTheDeploymentItsServicesAndNoOptionalObjects() {
        Manifests manifests = render();
        assertThat(manifests.names()).containsExactlyInAnyOrder(
                "Deployment/" + FULLNAME,
                "ConfigMap/" + FULLNAME,
                "Service/" + FULLNAME + "-rw",
                "Service/" + FULLNAME + "-ro",
                "Service/" + FULLNAME + "-admin",
                "PodDisruptionBudget/" + FULLNAME,
                "PersistentVolumeClaim/" + FULLNAME + "-state",
                "ServiceAccount/" + FULLNAME);
        assertThat(manifests.all("ServiceMonitor")).isEmpty();
        // No secret given, none created, and none referenced.
        assertThat(manifests.all("Secret")).isEmpty();
        assertThat(env(manifests)).doesNotContainKeys("PGWARDEN_ADMIN_TOKEN", "PGWARDEN_MONITOR_PASSWORD");
        assertThat(string(container(manifests), "image")).isEqualTo("pgwarden:0.1.0");
    }

    @Test
    void defaultConfigIsValidAndBindsEveryInterfaceOnTheDefaultPorts() {
        Manifests manifests = render();
        PgwardenSettings settings = loadRenderedConfig(manifests);

        assertThat(settings.listeners()).extracting(ListenerSettings::name, ListenerSettings::host,
                ListenerSettings::port).containsExactly(
                        tuple("rw", "0.0.0.0", 6432), tuple("ro", "0.0.0.0", 6433));
        assertThat(settings.admin().host()).isEqualTo("0.0.0.0");
        assertThat(settings.admin().port()).isEqualTo(6480);
        assertThat(settings.failover().mode()).isEqualTo(FailoverMode.AUTOMATIC);
        // Same ports as a configuration without any listener settings: the chart changes only the host.
        PgwardenSettings defaults = new SettingsLoader(Map.of()).defaults();
        assertThat(settings.listeners()).extracting(ListenerSettings::port)
                .containsExactlyElementsOf(defaults.listeners().stream().map(ListenerSettings::port).toList());
        assertThat(settings.admin().port()).isEqualTo(defaults.admin().port());
    }

    @Test
    void servicesContainerPortsAndTheRenderedConfigurationAgree() {
        for (Manifests manifests : List.of(render(), render(PRODUCTION_VALUES))) {
            PgwardenSettings settings = loadRenderedConfig(manifests);
            Map<String, Integer> containerPorts = maps(container(manifests), "ports").stream()
                    .collect(Collectors.toMap(port -> string(port, "name"), port -> (Integer) port.get("containerPort")));

            assertThat(containerPorts).hasSize(settings.listeners().size() + 1);
            for (ListenerSettings listener : settings.listeners()) {
                assertThat(containerPorts).containsEntry(listener.name(), listener.port());
                Map<String, Object> service = manifests.one("Service", FULLNAME + "-" + listener.name());
                Map<String, Object> port = maps(service, "spec", "ports").get(0);
                assertThat(port.get("targetPort")).isEqualTo(listener.name());
                assertThat(at(service, "metadata", "labels", "pgwarden.io/route")).isEqualTo(listener.route().configName());
                assertThat(map(service, "spec", "selector")).isEqualTo(podLabels(manifests));
            }
            assertThat(containerPorts).containsEntry("admin", settings.admin().port());
            Map<String, Object> admin = manifests.one("Service", FULLNAME + "-admin");
            assertThat(maps(admin, "spec", "ports").get(0)).containsEntry("targetPort", "admin")
                    .containsEntry("port", settings.admin().port());
        }
    }

    @Test
    void servicePortsFollowTheListenersUnlessOverridden() {
        Manifests manifests = render(PRODUCTION_VALUES);
        assertThat(servicePort(manifests, "app")).isEqualTo(5432);
        assertThat(servicePort(manifests, "reports")).isEqualTo(7433);
        assertThat(servicePort(manifests, "analytics")).isEqualTo(7434);
        assertThat(string(manifests.one("Service", FULLNAME + "-app"), "spec", "type")).isEqualTo("LoadBalancer");
        // Held sessions during a failover must keep their endpoint while /readyz fails.
        assertThat(at(manifests.one("Service", FULLNAME + "-app"), "spec", "publishNotReadyAddresses")).isEqualTo(true);
        assertThat(at(manifests.one("Service", FULLNAME + "-admin"), "spec", "publishNotReadyAddresses")).isNull();
    }

    @Test
    void probesAskHealthzAndReadyzOnTheAdminPort() {
        for (Manifests manifests : List.of(render(), render(PRODUCTION_VALUES))) {
            Map<String, Object> container = container(manifests);
            assertThat(map(container, "livenessProbe", "httpGet"))
                    .containsEntry("path", "/healthz").containsEntry("port", "admin").containsEntry("scheme", "HTTP");
            assertThat(map(container, "readinessProbe", "httpGet"))
                    .containsEntry("path", "/readyz").containsEntry("port", "admin");
            assertThat(maps(container, "ports")).anySatisfy(port -> assertThat(port)
                    .containsEntry("name", "admin")
                    .containsEntry("containerPort", loadRenderedConfig(manifests).admin().port()));
        }
    }

    @Test
    void podRunsAsNonRootOnAReadOnlyRootFilesystemWithoutCapabilities() {
        Manifests manifests = render();
        Map<String, Object> pod = podSpec(manifests);
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        assertThat((Integer) at(pod, "securityContext", "runAsUser")).isPositive();
        assertThat(string(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);

        Map<String, Object> container = container(manifests);
        assertThat(map(container, "securityContext"))
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(list(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
        // With a read-only root, everything pgwarden writes needs a volume: /tmp and the state directory.
        assertThat(mountPaths(manifests)).contains("/tmp", "/var/lib/pgwarden");
        assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(map(container, "resources", "limits")).containsKey("memory");
    }

    @Test
    void stateFileIsOnThePersistentVolume() {
        for (Manifests manifests : List.of(render(), render(PRODUCTION_VALUES))) {
            Path stateFile = loadRenderedConfig(manifests).failover().stateFile();
            Map<String, Object> mount = maps(container(manifests), "volumeMounts").stream()
                    .filter(candidate -> stateFile.startsWith(string(candidate, "mountPath")))
                    .findFirst().orElseThrow(() -> new AssertionError("no volume mounted above " + stateFile));
            assertThat(mount.get("readOnly")).isNotEqualTo(true);
            Map<String, Object> volume = maps(podSpec(manifests), "volumes").stream()
                    .filter(candidate -> candidate.get("name").equals(mount.get("name")))
                    .findFirst().orElseThrow();
            String claim = string(volume, "persistentVolumeClaim", "claimName");
            assertThat(claim).isEqualTo(FULLNAME + "-state");
            // Kept on uninstall: the fences it records must outlive a reinstall.
            assertThat(map(manifests.one("PersistentVolumeClaim", claim), "metadata", "annotations"))
                    .containsEntry("helm.sh/resource-policy", "keep");
        }
        assertThat(string(render(PRODUCTION_VALUES).one("PersistentVolumeClaim"), "spec", "storageClassName"))
                .isEqualTo("fast-ssd");
        // The old pod must be gone before the new one mounts the volume and decides failovers.
        assertThat(string(render().one("Deployment"), "spec", "strategy", "type")).isEqualTo("Recreate");
    }

    @Test
    void secretsReachThePodThroughTheSecretAndNeverSitInTheConfigMap() {
        Manifests manifests = render(PRODUCTION_VALUES);
        Map<String, Object> secret = manifests.one("Secret", FULLNAME);
        Map<String, String> environment = environmentOf(manifests);

        assertThat(environment).containsEntry("PGWARDEN_ADMIN_TOKEN", ADMIN_TOKEN)
                .containsEntry("PGWARDEN_MONITOR_PASSWORD", MONITOR_PASSWORD);
        assertThat(map(secret, "data")).hasSize(2);
        String configMap = string(manifests.one("ConfigMap", FULLNAME), "data", "pgwarden.conf");
        assertThat(configMap).doesNotContain(ADMIN_TOKEN, MONITOR_PASSWORD,
                base64(ADMIN_TOKEN), base64(MONITOR_PASSWORD), "\"token\"", "\"password\"");
        assertThat(String.join("\n", manifests.all("Deployment").stream().map(Object::toString).toList()))
                .doesNotContain(ADMIN_TOKEN, MONITOR_PASSWORD);

        PgwardenSettings settings = loadRenderedConfig(manifests).requireRunnable();
        assertThat(settings.admin().token()).contains(new Secret(ADMIN_TOKEN));
        assertThat(settings.monitor().password()).contains(new Secret(MONITOR_PASSWORD));
        assertThat(settings.admin().readRequiresToken()).isTrue();
    }

    @Test
    void anExistingSecretIsReferencedAndNoneIsCreated() {
        Manifests manifests = render(EXTERNAL_VALUES);
        assertThat(manifests.all("Secret")).isEmpty();
        Map<String, Map<String, Object>> references = secretReferences(manifests);
        assertThat(references.get("PGWARDEN_ADMIN_TOKEN"))
                .containsEntry("name", "pgwarden-secrets").containsEntry("key", "admin-token");
        assertThat(references.get("PGWARDEN_ADMIN_TOKEN").get("optional")).isNotEqualTo(true);
        assertThat(references.get("PGWARDEN_MONITOR_PASSWORD"))
                .containsEntry("name", "pgwarden-secrets").containsEntry("key", "monitor-password")
                .containsEntry("optional", true);
    }

    @Test
    void serviceMonitorOnlyWhenEnabledAndItScrapesTheAdminService() {
        assertThat(render().all("ServiceMonitor")).isEmpty();

        Manifests manifests = render(PRODUCTION_VALUES);
        Map<String, Object> monitor = manifests.one("ServiceMonitor", FULLNAME);
        assertThat(string(monitor, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(map(monitor, "metadata", "labels")).containsEntry("release", "prometheus");
        Map<String, Object> admin = manifests.one("Service", FULLNAME + "-admin");
        assertThat(map(admin, "metadata", "labels")).containsAllEntriesOf(map(monitor, "spec", "selector", "matchLabels"));
        // A listener Service must not match, or Prometheus would scrape the PostgreSQL port.
        Map<String, Object> listenerLabels = map(manifests.one("Service", FULLNAME + "-app"), "metadata", "labels");
        assertThat(listenerLabels.entrySet().containsAll(map(monitor, "spec", "selector", "matchLabels").entrySet()))
                .isFalse();
        Map<String, Object> endpoint = maps(monitor, "spec", "endpoints").get(0);
        assertThat(endpoint).containsEntry("port", "admin").containsEntry("path", "/metrics");
        // read-requires-token = true: /metrics needs the token, so the scrape sends it.
        assertThat(map(endpoint, "bearerTokenSecret")).containsEntry("name", FULLNAME).containsEntry("key", "admin-token");
    }

    @Test
    void podDisruptionBudgetSelectsThePods() {
        for (Manifests manifests : List.of(render(), render(EXTERNAL_VALUES))) {
            Map<String, Object> budget = manifests.one("PodDisruptionBudget", FULLNAME);
            assertThat(string(budget, "apiVersion")).isEqualTo("policy/v1");
            assertThat(map(budget, "spec", "selector", "matchLabels")).isEqualTo(podLabels(manifests));
            assertThat(map(budget, "spec")).containsEntry("maxUnavailable", 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"automatic", "manual"})
    void moreThanOneReplicaIsRefusedUnlessAnotherManagerPromotes(String mode) throws IOException {
        Throwable refused = catchThrowable(() -> render("""
                replicaCount: 2
                persistence: { enabled: false }
                config:
                  failover: { mode: %s }
                """.formatted(mode)));
        assertThat(refused).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replicaCount = 2 with config.failover.mode = " + mode)
                .hasMessageContaining("only one pgwarden replica may run automatic");
    }

    @Test
    void severalReplicasRunInExternalModeWithTheirOwnState() {
        Manifests manifests = render(EXTERNAL_VALUES);
        Map<String, Object> deployment = manifests.one("Deployment", FULLNAME);
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(3);
        assertThat(string(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
        assertThat(manifests.all("PersistentVolumeClaim")).isEmpty();
        assertThat(maps(podSpec(manifests), "volumes")).anySatisfy(volume -> assertThat(volume)
                .containsEntry("name", "state").containsKey("emptyDir"));
        assertThat(loadRenderedConfig(manifests).requireRunnable().failover().mode()).isEqualTo(FailoverMode.EXTERNAL);
    }

    @Test
    void aSharedStateVolumeForSeveralReplicasIsRefused() {
        Throwable refused = catchThrowable(() -> render("""
                replicaCount: 2
                config:
                  failover: { mode: external }
                """));
        assertThat(refused).hasMessageContaining("persistence.enabled = true");
    }

    @Test
    void secretsWrittenIntoTheConfigAreRefused() {
        Throwable refused = catchThrowable(() -> render("""
                config:
                  admin: { token: hunter2 }
                """));
        assertThat(refused).hasMessageContaining("plain text in the ConfigMap");
    }

    @Test
    void listenerNamesThatCannotNameAPortAreRefused() {
        Throwable refused = catchThrowable(() -> render("""
                config:
                  listeners:
                    - { name: read_write.primary, port: 6432, route: primary }
                """));
        assertThat(refused).hasMessageContaining("read_write.primary").hasMessageContaining("1-15 lowercase");
    }

    @Test
    void aStateFileOutsideTheVolumeIsRefused() {
        Throwable refused = catchThrowable(() -> render("""
                config:
                  failover: { state-file: /etc/pgwarden/state.json }
                """));
        assertThat(refused).hasMessageContaining("outside persistence.mountPath");
    }

    @Test
    void tlsSecretIsMountedReadOnlyOnlyWhenNamed() {
        assertThat(mountPaths(render())).doesNotContain("/etc/pgwarden-tls");
        Manifests manifests = render(PRODUCTION_VALUES);
        assertThat(maps(container(manifests), "volumeMounts")).anySatisfy(mount -> assertThat(mount)
                .containsEntry("name", "tls").containsEntry("mountPath", "/etc/pgwarden-tls")
                .containsEntry("readOnly", true));
        assertThat(maps(podSpec(manifests), "volumes")).anySatisfy(volume -> assertThat(volume)
                .containsEntry("name", "tls")
                .satisfies(tls -> assertThat(string(tls, "secret", "secretName")).isEqualTo("pgwarden-tls")));
    }

    @Test
    void configurationChangesRollThePod() {
        String before = string(podTemplate(render()), "metadata", "annotations", "checksum/config");
        String after = string(podTemplate(render("config: { health: { interval: 100ms } }")),
                "metadata", "annotations", "checksum/config");
        assertThat(before).isNotBlank().isNotEqualTo(after);
    }

    @Test
    void notesTellWhereToConnectAndWarnAboutReplicasAndMissingBackends() {
        String defaults = notes(null);
        assertThat(defaults)
                .contains(FULLNAME + "-rw." + NAMESPACE + ".svc:6432", FULLNAME + "-ro." + NAMESPACE + ".svc:6433")
                .contains(FULLNAME + "-admin." + NAMESPACE + ".svc:6480")
                .contains("config.backends is empty")
                .contains("Only one pgwarden replica may run automatic or manual failover")
                .contains("No admin token is set");

        String external = notes(EXTERNAL_VALUES);
        assertThat(external).doesNotContain("config.backends is empty", "No admin token")
                .contains("several replicas are safe")
                .contains("get secret pgwarden-secrets");
    }

    // ---- rendering

    private Manifests render() {
        return render(null);
    }

    private Manifests render(String values) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (values != null) {
            template = template.withValuesFile(valuesFile(values));
        }
        return Manifests.parse(template.call());
    }

    /** NOTES.txt as `helm install` prints it; a client-only dry run renders it without a cluster. */
    private String notes(String values) {
        var install = new Helm(CHART).install().withName(RELEASE).withNamespace(NAMESPACE)
                .dryRun().withDryRunOption(DryRun.CLIENT).clientOnly();
        if (values != null) {
            install = install.withValuesFile(valuesFile(values));
        }
        String output = install.call().getOutput();
        assertThat(output).contains("NOTES:");
        return output.substring(output.indexOf("NOTES:"));
    }

    private Path valuesFile(String values) {
        try {
            return Files.writeString(Files.createTempFile(temp, "values", ".yaml"), values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- reading the rendered objects

    /** pgwarden.conf of the ConfigMap, loaded as `pgwarden run` loads it in the pod. */
    private static PgwardenSettings loadRenderedConfig(Manifests manifests) {
        String conf = string(manifests.one("ConfigMap", FULLNAME), "data", "pgwarden.conf");
        assertThat(conf).isNotBlank();
        // The file is mounted at /etc/pgwarden, which the container's arguments name.
        assertThat(list(container(manifests), "args")).containsExactly("run", "--config", "/etc/pgwarden/pgwarden.conf");
        assertThat(maps(container(manifests), "volumeMounts")).anySatisfy(mount -> assertThat(mount)
                .containsEntry("name", "config").containsEntry("mountPath", "/etc/pgwarden"));
        return new SettingsLoader(environmentOf(manifests)).parse(conf);
    }

    /** The pod's environment with secretKeyRefs resolved from the rendered Secret. */
    private static Map<String, String> environmentOf(Manifests manifests) {
        Map<String, String> environment = new HashMap<>();
        for (Map<String, Object> variable : maps(container(manifests), "env")) {
            String name = string(variable, "name");
            if (variable.containsKey("value")) {
                environment.put(name, string(variable, "value"));
                continue;
            }
            Map<String, Object> reference = map(variable, "valueFrom", "secretKeyRef");
            Optional<Map<String, Object>> secret = manifests.find("Secret", string(reference, "name"));
            if (secret.isEmpty()) {
                // An existing Secret of the cluster, not part of the release.
                continue;
            }
            Object encoded = at(secret.get(), "data", string(reference, "key"));
            if (encoded == null) {
                assertThat(reference.get("optional")).as("reference to a missing key of %s", name).isEqualTo(true);
                continue;
            }
            environment.put(name, new String(Base64.getDecoder().decode((String) encoded), StandardCharsets.UTF_8));
        }
        return environment;
    }

    private static Map<String, Object> env(Manifests manifests) {
        Map<String, Object> byName = new LinkedHashMap<>();
        maps(container(manifests), "env").forEach(variable -> byName.put(string(variable, "name"), variable));
        return byName;
    }

    private static Map<String, Map<String, Object>> secretReferences(Manifests manifests) {
        Map<String, Map<String, Object>> references = new LinkedHashMap<>();
        for (Map<String, Object> variable : maps(container(manifests), "env")) {
            if (at(variable, "valueFrom", "secretKeyRef") != null) {
                references.put(string(variable, "name"), map(variable, "valueFrom", "secretKeyRef"));
            }
        }
        return references;
    }

    private static Map<String, Object> podTemplate(Manifests manifests) {
        return map(manifests.one("Deployment", FULLNAME), "spec", "template");
    }

    private static Map<String, Object> podSpec(Manifests manifests) {
        return map(podTemplate(manifests), "spec");
    }

    private static Map<String, Object> podLabels(Manifests manifests) {
        Map<String, Object> labels = map(podTemplate(manifests), "metadata", "labels");
        assertThat(map(manifests.one("Deployment", FULLNAME), "spec", "selector", "matchLabels")).isEqualTo(labels);
        return labels;
    }

    private static Map<String, Object> container(Manifests manifests) {
        List<Map<String, Object>> containers = maps(podSpec(manifests), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static List<String> mountPaths(Manifests manifests) {
        return maps(container(manifests), "volumeMounts").stream().map(mount -> string(mount, "mountPath")).toList();
    }

    private static int servicePort(Manifests manifests, String listener) {
        return (Integer) maps(manifests.one("Service", FULLNAME + "-" + listener), "spec", "ports").get(0).get("port");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
