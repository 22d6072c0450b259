package dev.berth.sandbox.spec;

import java.util.ArrayDeque;
import java.util.Deque;

/** Paths inside the container, compared the way containerd does (Go's filepath.Clean). */
final class ContainerPaths {
    private ContainerPaths() {}

    /** Absolute and lexically clean: no "." or "..", no double or trailing slash; ".." stops at "/". */
    static String clean(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** Number of names in a clean path: "/" is 0, "/dev/pts" is 2. Parents have fewer than children. */
    static int depth(String cleanPath) {
        return cleanPath.equals("/") ? 0 : (int) cleanPath.chars().filter(c -> c == '/').count();
    }

    /** Whether {@code path} is {@code dir} or below it; both clean. */
    static boolean isUnder(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir.equals("/") ? "/" : dir + "/");
    }
}
