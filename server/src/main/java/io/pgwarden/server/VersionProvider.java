package io.pgwarden.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version that the build wrote into {@code pgwarden-version.properties}. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"pgwarden " + version(), "Java " + Runtime.version()};
    }

    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/pgwarden-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build's version resource", e);
        }
    }
}
