package io.pgha.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OS user the cluster's processes run as. PostgreSQL refuses to run as root, so when pgha runs as
 * root every process runs as the unprivileged system user {@value #SYSTEM_USER} (created on first use,
 * without a home directory or login shell); otherwise everything runs as the current user.
 */
public final class ServiceUser {

    public static final String SYSTEM_USER = "pgha";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceUser.class);

    private final String name;
    private final Path setpriv;

    private ServiceUser(String name, Path setpriv) {
        this.name = name;
        this.setpriv = setpriv;
    }

    /** Run everything as the user running pgha. */
    public static ServiceUser current() {
        return new ServiceUser(System.getProperty("user.name"), null);
    }

    /** Run everything as {@link #SYSTEM_USER}, switching with setpriv (which execs in place, so pids stay right). */
    static ServiceUser system(Path setpriv) {
        return new ServiceUser(SYSTEM_USER, setpriv);
    }

    /** Whether this process runs as root (uid 0). */
    public static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    public String name() {
        return name;
    }

    /** True when processes run as another user than this one. */
    boolean switchesUser() {
        return setpriv != null;
    }

    /** What to put before a command to run it as this user. */
    List<String> commandPrefix() {
        if (setpriv == null) {
            return List.of();
        }
        return List.of(setpriv.toString(), "--reuid=" + name, "--regid=" + name, "--init-groups", "--");
    }

    /** Creates the system user if it does not exist yet. */
    void ensureExists(Path useradd) {
        if (!switchesUser() || exists()) {
            return;
        }
        LOG.info("creating system user {}", name);
        Commands.run(List.of(useradd.toString(), "--system", "--user-group", "--no-create-home",
                "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name), "create user " + name);
    }

    private boolean exists() {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives everything under {@code root} to this user, except the paths in {@code keep} and what lies under them. */
    void own(Path root, List<Path> keep) {
        if (!switchesUser()) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(name);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (keep.stream().noneMatch(p::startsWith)) {
                        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                                java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        view.setOwner(user);
                        view.setGroup(group);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + root + " to user " + name, e);
        }
    }

    /** Fails with a clear message when this user cannot read (or write) {@code path}, e.g. behind a mode-700 parent. */
    void checkAccess(Path path, boolean write) {
        if (!switchesUser()) {
            return;
        }
        List<String> test = new ArrayList<>(commandPrefix());
        test.addAll(List.of("test", write ? "-w" : "-r", path.toString()));
        if (Commands.exitCode(test) != 0) {
            throw LocalException.badInput("user " + name + " cannot " + (write ? "write to " : "read ") + path
                    + " (is a parent directory closed to other users?); choose a path such as /var/tmp/pgha-local");
        }
    }
}
