package io.pgwarden.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operating system user the servers run as. PostgreSQL refuses to run as root, so a root JVM runs every
 * server program as an unprivileged user (through {@code runuser}, else {@code setpriv}) and hands it the
 * files it writes; any other JVM runs them as itself.
 */
final class ServerUser {
    private final String name;
    private final List<String> commandPrefix;
    private final Optional<UserPrincipal> owner;

    private ServerUser(String name, List<String> commandPrefix, Optional<UserPrincipal> owner) {
        this.name = name;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.owner = owner;
    }

    /** This JVM's own user; nothing is switched or chowned. */
    static ServerUser current() {
        return new ServerUser(System.getProperty("user.name"), List.of(), Optional.empty());
    }

    /**
     * The JVM's user, or {@code userWhenRoot} when the JVM runs as root.
     *
     * @throws LocalClusterException when root has no unprivileged user to switch to, or no tool to switch with
     */
    static ServerUser detect(String userWhenRoot, CommandRunner runner) {
        if (!isRoot()) {
            return current();
        }
        if (userWhenRoot.equals("root")) {
            throw new LocalClusterException("PostgreSQL refuses to run as root; choose another server user");
        }
        UserPrincipal principal;
        try {
            principal = Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(userWhenRoot);
        } catch (UserPrincipalNotFoundException e) {
            throw new LocalClusterException("this JVM runs as root, and PostgreSQL refuses to run as root; it would run "
                    + "the servers as the unprivileged user '" + userWhenRoot + "', but no such user exists. "
                    + "Create it (useradd --system --create-home " + userWhenRoot + ") or run as a non-root user.");
        } catch (IOException e) {
            throw new LocalClusterException("cannot look up the user '" + userWhenRoot + "': " + e, e);
        }
        Optional<Path> runuser = CommandRunner.findProgram("runuser");
        if (runuser.isPresent()) {
            return new ServerUser(userWhenRoot, List.of(runuser.get().toString(), "-u", userWhenRoot, "--"),
                    Optional.of(principal));
        }
        Optional<Path> setpriv = CommandRunner.findProgram("setpriv");
        Optional<Path> id = CommandRunner.findProgram("id");
        if (setpriv.isPresent() && id.isPresent()) {
            String gid = runner.runChecked(List.of(id.get().toString(), "-g", userWhenRoot), Map.of(),
                    Path.of("/"), Duration.ofSeconds(10)).output().strip();
            return new ServerUser(userWhenRoot, List.of(setpriv.get().toString(), "--reuid=" + userWhenRoot,
                    "--regid=" + gid, "--init-groups", "--"), Optional.of(principal));
        }
        throw new LocalClusterException("this JVM runs as root and must run PostgreSQL as '" + userWhenRoot
                + "', but neither runuser nor setpriv (util-linux) is installed");
    }

    static boolean isRoot() {
        try {
            // /proc/self belongs to the effective user of this process.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    String name() {
        return name;
    }

    /** True when the JVM is root and the servers run as another user. */
    boolean switchesUser() {
        return owner.isPresent();
    }

    /** The command, run as this user. */
    List<String> command(List<String> command) {
        List<String> result = new ArrayList<>(commandPrefix);
        result.addAll(command);
        return result;
    }

    /** Gives {@code path} (not a link's target) to this user. */
    void own(Path path) {
        if (owner.isEmpty()) {
            return;
        }
        try {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setOwner(owner.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to " + name, e);
        }
    }

    /** Gives {@code root} and everything below it to this user. */
    void ownTree(Path root) throws IOException {
        if (owner.isEmpty()) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                own(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                own(file);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Creates a directory only this user may enter (mode 0700). */
    Path createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        own(dir);
        return dir;
    }

    /**
     * Replaces {@code file} atomically with {@code content}, mode 0600, owned by this user. The server may read
     * the file at any moment (a reload), so it must never see half of it.
     */
    void writeFile(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            own(temp);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
