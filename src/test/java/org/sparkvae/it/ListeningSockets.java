package org.sparkvae.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets that processes listen on, from /proc: a process's socket inodes ({@code /proc/PID/fd}
 * links to {@code socket:[INODE]}) matched against the LISTEN rows of {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (Java binds IPv6 sockets, {@code [::]} for every interface).
 */
final class ListeningSockets {
    private ListeningSockets() { }

    /** "address:port" of every listening socket of the given processes, e.g. "127.0.0.1:7077" or "[::]:4040". */
    static List<String> of(Iterable<Long> pids) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (long pid : pids) {
            Path fds = Path.of("/proc", Long.toString(pid), "fd");
            try (Stream<Path> s = Files.list(fds)) {
                for (Path fd : s.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException gone) {
                        // the descriptor closed while we listed it
                    }
                }
            } catch (IOException gone) {
                // the process ended
            }
        }
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            // One read per table: the table is live, and any socket on the machine that opens or closes
            // between two reads changes its length (reading it twice once threw IndexOutOfBounds).
            out.addAll(listening(Files.readAllLines(Path.of(table)), inodes));
        }
        return out;
    }

    /** The LISTEN rows among {@code rows} (one snapshot of a /proc/net/tcp table, header first) whose inode is given. */
    static List<String> listening(List<String> rows, Set<String> inodes) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).trim().split("\\s+");
            // f[1] local address:port (hex), f[3] state (0A = LISTEN), f[9] inode
            if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                out.add(address(f[1]));
            }
        }
        return out;
    }

    static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.startsWith("[::1]:") || address.startsWith("[::ffff:127.");
    }

    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String a = parts[0];
        if (a.length() == 8) {
            return ipv4(a, 0) + ":" + port;
        }
        // IPv6: four 32-bit words, each little-endian.
        if (a.startsWith("0000000000000000FFFF0000")) {
            return "[::ffff:" + ipv4(a, 24) + "]:" + port;
        }
        if (a.equals("00000000000000000000000001000000")) {
            return "[::1]:" + port;
        }
        if (a.equals("00000000000000000000000000000000")) {
            return "[::]:" + port;
        }
        return "[" + a + "]:" + port;
    }

    private static String ipv4(String hex, int from) {
        StringBuilder b = new StringBuilder();
        for (int i = 3; i >= 0; i--) { // little-endian bytes
            b.append(Integer.parseInt(hex.substring(from + 2 * i, from + 2 * i + 2), 16));
            if (i > 0) {
                b.append('.');
            }
        }
        return b.toString();
    }

    /** A process and all its descendants. */
    static List<Long> tree(long pid) {
        List<Long> all = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
        return all;
    }
}
