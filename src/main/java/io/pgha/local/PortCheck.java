package io.pgha.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.List;

/** Finds which of the cluster's ports something else already listens on. */
final class PortCheck {

    private PortCheck() {}

    /** The ports of {@code ports} that cannot be bound on 127.0.0.1 right now, in the given order. */
    static List<Integer> busy(Collection<Integer> ports) {
        return ports.stream().filter(p -> !free(p)).toList();
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(LocalLayout.HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
