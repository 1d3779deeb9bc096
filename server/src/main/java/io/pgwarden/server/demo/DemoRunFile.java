package io.pgwarden.server.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a running demo tells its helper commands ({@code pgwarden demo kill-primary}): the demo
 * process and the data directory of each node. A properties file in the temp directory, one per
 * OS user, removed when the demo stops.
 *
 * @param demoPid the demo's JVM
 * @param nodes every node, in order
 */
record DemoRunFile(long demoPid, List<Node> nodes) {

    /** One PostgreSQL server of the demo cluster. */
    record Node(String name, int port, Path dataDir) {}

    static Path location() {
        return Path.of(System.getProperty("java.io.tmpdir"), "pgwarden-demo-" + System.getProperty("user.name") + ".run");
    }

    void write(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("demo.pid", Long.toString(demoPid));
        properties.setProperty("nodes", Integer.toString(nodes.size()));
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            properties.setProperty("node." + i + ".name", node.name());
            properties.setProperty("node." + i + ".port", Integer.toString(node.port()));
            properties.setProperty("node." + i + ".data-dir", node.dataDir().toString());
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            properties.store(out, "pgwarden demo");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static DemoRunFile read(Path file) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        int count = Integer.parseInt(required(properties, "nodes", file));
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new Node(required(properties, "node." + i + ".name", file),
                    Integer.parseInt(required(properties, "node." + i + ".port", file)),
                    Path.of(required(properties, "node." + i + ".data-dir", file))));
        }
        return new DemoRunFile(Long.parseLong(required(properties, "demo.pid", file)), nodes);
    }

    private static String required(Properties properties, String key, Path file) throws IOException {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IOException(file + " has no " + key + ": not a pgwarden demo run file");
        }
        return value;
    }
}
