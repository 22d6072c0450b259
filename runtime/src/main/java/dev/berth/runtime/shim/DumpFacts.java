package dev.berth.runtime.shim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.oci.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a restore must know about a dump besides CRIU's images, written next to them:
 * {@code descriptors.json} (runc's format: what the init's fds 0, 1, 2 were, as CRIU names them)
 * and {@code external.json} (the namespaces and bind mounts that came from outside the container).
 *
 * <p>On restore these files come from an untrusted archive. Every value is checked here: a
 * descriptor must be one of the two forms Berth writes, a mount destination an absolute clean
 * path; none of them is ever used as a host path (the new container's plan gives the sources).
 */
record DumpFacts(List<String> descriptors, boolean externalNet, boolean externalPid, List<String> mounts) {
    static final String DESCRIPTORS = "descriptors.json";
    static final String EXTERNAL = "external.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DESCRIPTOR = Pattern.compile("pipe:\\[[0-9]{1,20}\\]|file\\[[0-9a-f]{1,16}:[0-9a-f]{1,16}\\]");
    private static final int MAX_FILE = 64 << 10;
    private static final int MAX_MOUNTS = 256;
    private static final int MAX_PATH = 4096;

    DumpFacts {
        descriptors = List.copyOf(descriptors);
        mounts = List.copyOf(mounts);
    }

    void write(Path imagesDir) throws IOException {
        Files.write(imagesDir.resolve(DESCRIPTORS), JSON.writeValueAsBytes(descriptors));
        var external = JSON.createObjectNode().put("net", externalNet).put("pid", externalPid);
        mounts.forEach(external.putArray("mounts")::add);
        Files.write(imagesDir.resolve(EXTERNAL), JSON.writeValueAsBytes(external));
    }

    static DumpFacts read(Path imagesDir) throws InvalidSpecException {
        JsonNode descriptors = json(imagesDir, DESCRIPTORS);
        JsonNode external = json(imagesDir, EXTERNAL);
        if (!descriptors.isArray() || descriptors.size() != 3) {
            throw bad(DESCRIPTORS, "must list exactly the init's fds 0, 1 and 2");
        }
        List<String> fds = new ArrayList<>();
        for (JsonNode d : descriptors) {
            if (!d.isTextual() || !DESCRIPTOR.matcher(d.asText()).matches()) {
                throw bad(DESCRIPTORS, "holds \"" + printable(d.toString()) + "\", which is neither pipe:[N] nor file[M:I]");
            }
            fds.add(d.asText());
        }
        if (!external.isObject() || !external.path("net").isBoolean() || !external.path("pid").isBoolean()
                || !external.path("mounts").isArray() || external.size() != 3) {
            throw bad(EXTERNAL, "must hold exactly \"net\" and \"pid\" (booleans) and \"mounts\" (a list)");
        }
        if (external.get("mounts").size() > MAX_MOUNTS) {
            throw bad(EXTERNAL, "lists more than " + MAX_MOUNTS + " mounts");
        }
        List<String> mounts = new ArrayList<>();
        for (JsonNode m : external.get("mounts")) {
            String dest = m.isTextual() ? m.asText() : "";
            if (!cleanAbsolute(dest) || mounts.contains(dest)) {
                throw bad(EXTERNAL, "mount \"" + printable(m.toString()) + "\" is no absolute clean path, or listed twice");
            }
            mounts.add(dest);
        }
        return new DumpFacts(fds, external.get("net").asBoolean(), external.get("pid").asBoolean(), mounts);
    }

    /** Absolute, no ".", ".." or empty components, nothing CRIU's {@code mnt[KEY]:VALUE} syntax would misread. */
    static boolean cleanAbsolute(String path) {
        if (path.length() < 2 || path.length() > MAX_PATH || !path.startsWith("/") || path.endsWith("/")
                || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '[' || c == ']')) {
            return false;
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode json(Path dir, String name) throws InvalidSpecException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw bad(name, "is missing from the checkpoint (or is not a regular file)");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_FILE + 1);
            if (bytes.length > MAX_FILE) {
                throw bad(name, "is larger than " + MAX_FILE + " bytes");
            }
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw bad(name, "is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad(name, "cannot be read: " + e.getMessage());
        }
    }

    private static InvalidSpecException bad(String file, String why) {
        return new InvalidSpecException("checkpoint " + file + " " + why);
    }

    private static String printable(String s) {
        String cut = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
