package dev.berth.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The network config in use: the lowest-sorting {@code .conflist}/{@code .conf}/{@code .json}
 * file of the first config dir that has one. It is re-read only when something it depends on
 * changed: the config dirs' modification times (a file added, removed or renamed) or the
 * chosen file's time and size (edited in place). Checking costs a few stat calls.
 */
final class ConfigSource {
    private static final long MAX_CONFIG_BYTES = 1 << 20;

    /** The outcome of a scan: a usable list, or why there is none (reason and message as in {@link NetworkStatus}). */
    record Loaded(ConfList list, String reason, String message) {}

    private final List<Path> dirs;
    private final ObjectMapper json;
    private List<Object> fingerprint;
    private Loaded loaded;

    ConfigSource(List<Path> dirs, ObjectMapper json) {
        this.dirs = List.copyOf(dirs);
        this.json = json;
    }

    /** Config file names Berth reads, in the order it considers them, from the first dir that has any. */
    List<Path> candidates() {
        for (Path dir : dirs) {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{conflist,conf,json}")) {
                    stream.forEach(f -> {
                        if (Files.isRegularFile(f)) {
                            files.add(f);
                        }
                    });
                } catch (IOException e) {
                    continue;
                }
            }
            if (!files.isEmpty()) {
                files.sort(null);
                return files;
            }
        }
        return List.of();
    }

    synchronized Loaded current() {
        List<Object> now = fingerprint();
        if (loaded == null || !now.equals(fingerprint)) {
            loaded = scan();
            fingerprint = fingerprint(); // after the scan: a change during it triggers another
        }
        return loaded;
    }

    private Loaded scan() {
        List<Path> files = candidates();
        if (files.isEmpty()) {
            return new Loaded(null, "NoNetworkConfig", "no CNI network config (.conflist, .conf or .json) in " + dirs
                    + "; install one or enable writing the default network");
        }
        Path file = files.getFirst();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                return new Loaded(null, "InvalidNetworkConfig", file + " is larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            return new Loaded(ConfList.parse(file, bytes, json), "", "");
        } catch (IOException e) {
            return new Loaded(null, "InvalidNetworkConfig", "cannot read " + file + ": " + e.getMessage());
        } catch (ConfList.InvalidConfigException e) {
            return new Loaded(null, "InvalidNetworkConfig", e.getMessage() + "; fix or remove the file");
        }
    }

    private List<Object> fingerprint() {
        List<Object> parts = new ArrayList<>();
        for (Path dir : dirs) {
            parts.add(stamp(dir));
        }
        if (loaded != null && loaded.list() != null) {
            parts.add(stamp(loaded.list().source()));
        }
        return parts;
    }

    private static Object stamp(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return List.of(path, a.lastModifiedTime().toMillis(), a.size(), Objects.toString(a.fileKey()));
        } catch (IOException missing) {
            return List.of(path, "missing");
        }
    }
}
