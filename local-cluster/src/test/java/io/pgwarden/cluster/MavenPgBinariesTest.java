package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction of the xz-compressed tar in which Maven Central ships PostgreSQL. */
class MavenPgBinariesTest {

    @TempDir
    Path target;

    /** Builds a .txz in memory, one entry per call. */
    private static final class Archive {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        Archive() throws IOException {
            tar = new TarArchiveOutputStream(new XZCompressorOutputStream(bytes));
        }

        Archive file(String name, int mode, String content) throws IOException {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setMode(mode);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
            return this;
        }

        Archive directory(String name) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            entry.setMode(0755);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return this;
        }

        Archive symlink(String name, String linkTarget) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(linkTarget);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return this;
        }

        ByteArrayInputStream stream() throws IOException {
            tar.close();
            return new ByteArrayInputStream(bytes.toByteArray());
        }
    }

    @Test
    void extractsFilesWithTheirModesAndRelativeSymlinks() throws IOException {
        ByteArrayInputStream archive = new Archive()
                .directory("bin")
                .file("bin/postgres", 0755, "#!/bin/sh\n")
                .directory("lib")
                .file("lib/libicuuc.so.60.2", 0644, "library")
                .symlink("lib/libicuuc.so.60", "libicuuc.so.60.2")
                .stream();

        MavenPgBinaries.untar(archive, target);

        assertThat(Files.getPosixFilePermissions(target.resolve("bin/postgres")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(target.resolve("lib/libicuuc.so.60.2")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.isSymbolicLink(target.resolve("lib/libicuuc.so.60"))).isTrue();
        assertThat(Files.readString(target.resolve("lib/libicuuc.so.60"))).isEqualTo("library");
    }

    @Test
    void refusesEntriesThatEscapeTheTargetDirectory() throws IOException {
        ByteArrayInputStream archive = new Archive().file("../evil", 0644, "x").stream();

        assertThatThrownBy(() -> MavenPgBinaries.untar(archive, target))
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("../evil");
        assertThat(target.resolveSibling("evil")).doesNotExist();
    }

    @Test
    void refusesSymlinksPointingOutOfTheTargetDirectory() throws IOException {
        ByteArrayInputStream archive = new Archive().symlink("lib/passwd", "/etc/passwd").stream();

        assertThatThrownBy(() -> MavenPgBinaries.untar(archive, target))
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("/etc/passwd");
        assertThat(Files.exists(target.resolve("lib/passwd"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void missingResourceNamesTheMavenArtifact() {
        ClassLoader empty = new ClassLoader(null) {
        };

        assertThatThrownBy(() -> new MavenPgBinaries(empty, target).binDir())
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining(MavenPgBinaries.ARTIFACT);
    }
}
