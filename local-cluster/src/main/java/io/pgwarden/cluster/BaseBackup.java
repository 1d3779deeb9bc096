package io.pgwarden.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A base backup by the low-level API: {@code pg_backup_start()}, a file copy of the running primary's data
 * directory, {@code pg_backup_stop()}. It needs no {@code pg_basebackup}, which the Maven Central binaries lack.
 * The copy holds no WAL: the standby streams what it needs from the primary, which keeps it by
 * {@code wal_keep_size}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/continuous-archiving.html#BACKUP-LOWLEVEL-BASE-BACKUP">
 *     Making a Base Backup Using the Low Level API</a>
 */
final class BaseBackup {
    private static final Logger log = LoggerFactory.getLogger(BaseBackup.class);

    /** Directories whose content a backup leaves out; the directories themselves must exist. */
    private static final Set<String> EMPTIED_DIRECTORIES = Set.of(
            "pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp",
            "pg_subtrans");

    /** Files that belong to the running primary, not to a copy of it. */
    private static final Set<String> EXCLUDED_FILES = Set.of(
            "postmaster.pid", "postmaster.opts", "backup_label", "backup_label.old", "tablespace_map",
            "standby.signal", "recovery.signal", "pg_internal.init", "current_logfiles");

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final ServerUser serverUser;

    BaseBackup(ServerUser serverUser) {
        this.serverUser = serverUser;
    }

    /**
     * Copies the data directory of the primary behind {@code connection} into {@code target}, which must not
     * exist, and hands the copy to the server user. The connection must stay open throughout: a non-exclusive
     * backup belongs to its session.
     */
    void take(Connection connection, Path source, Path target, String label) throws SQLException, IOException {
        try (Stream<Path> tablespaces = Files.list(source.resolve("pg_tblspc"))) {
            if (tablespaces.findAny().isPresent()) {
                throw new LocalClusterException("cannot copy " + source + ": it has tablespaces, which the "
                        + "local cluster does not support");
            }
        }
        int version = serverVersionNum(connection);
        try (PreparedStatement start = connection.prepareStatement(version >= 150000
                ? "SELECT pg_backup_start(?, true)"
                : "SELECT pg_start_backup(?, true, false)")) {
            start.setString(1, label);
            start.execute();
        }
        Files.createDirectory(target, PRIVATE_DIRECTORY);
        copyTree(source, target);
        String labelFile;
        String tablespaceMap;
        try (Statement stop = connection.createStatement();
                ResultSet result = stop.executeQuery(version >= 150000
                        ? "SELECT lsn, labelfile, spcmapfile FROM pg_backup_stop(false)"
                        : "SELECT lsn, labelfile, spcmapfile FROM pg_stop_backup(false, false)")) {
            result.next();
            log.debug("backup {} of {} ends at {}", label, source, result.getString("lsn"));
            labelFile = result.getString("labelfile");
            tablespaceMap = result.getString("spcmapfile");
        }
        writePrivate(target.resolve("backup_label"), labelFile);
        if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
            writePrivate(target.resolve("tablespace_map"), tablespaceMap);
        }
        Path archiveStatus = target.resolve("pg_wal").resolve("archive_status");
        if (!Files.isDirectory(archiveStatus)) {
            Files.createDirectory(archiveStatus, PRIVATE_DIRECTORY);
        }
        serverUser.ownTree(target);
    }

    private static int serverVersionNum(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            result.next();
            return Integer.parseInt(result.getString(1));
        }
    }

    /** Copies while the primary writes: files may change or vanish; WAL replay repairs what changed. */
    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(source)) {
                    return FileVisitResult.CONTINUE;
                }
                if (dir.getFileName().toString().startsWith("pgsql_tmp")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Path relative = source.relativize(dir);
                Files.createDirectory(target.resolve(relative.toString()), PRIVATE_DIRECTORY);
                return isEmptied(relative) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = source.relativize(file);
                String name = file.getFileName().toString();
                if (isEmptied(relative)) {
                    // A symbolic link, e.g. pg_wal placed elsewhere: the copy gets a plain empty directory.
                    Files.createDirectory(target.resolve(relative.toString()), PRIVATE_DIRECTORY);
                } else if (attrs.isRegularFile() && !EXCLUDED_FILES.contains(name) && !name.startsWith("pgsql_tmp")
                        && !name.endsWith(".tmp")) {
                    Path copy = target.resolve(relative.toString());
                    try {
                        Files.copy(file, copy);
                        Files.setPosixFilePermissions(copy, PRIVATE_FILE);
                    } catch (NoSuchFileException e) {
                        // Dropped by the primary while we copied; replay drops it in the copy too.
                        Files.deleteIfExists(copy);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static boolean isEmptied(Path relative) {
        return relative.getNameCount() == 1 && EMPTIED_DIRECTORIES.contains(relative.toString());
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PRIVATE_FILE);
    }
}
