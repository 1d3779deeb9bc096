package io.pgwarden.proxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed server certificate for 127.0.0.1 and localhost, made with the openssl tool. */
record TestCertificates(Path certFile, Path keyFile) {

    static boolean opensslAvailable() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static TestCertificates create(Path directory) throws Exception {
        Path cert = directory.resolve("server.crt");
        Path key = directory.resolve("server.key");
        Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(cert)) {
            throw new IllegalStateException("openssl failed: " + output);
        }
        return new TestCertificates(cert, key);
    }
}
