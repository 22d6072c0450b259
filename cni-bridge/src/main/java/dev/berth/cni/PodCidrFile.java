package dev.berth.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod CIDRs kubelet last sent, kept on disk so that a restarted daemon hands them to CNI at
 * once: kubelet sends them again only when they change (or kubelet restarts). A small versioned
 * JSON document, {@code {"format":1,"podCidrs":["10.244.1.0/24"]}}, replaced whole on save.
 */
public final class PodCidrFile {
    static final int FORMAT = 1;

    private final Path file;
    private final ObjectMapper json = new ObjectMapper();

    public PodCidrFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /**
     * The saved CIDRs, {@link PodCidrs#NONE} when none were ever saved.
     *
     * @throws UncheckedIOException when the file cannot be read or does not hold valid pod CIDRs
     */
    public PodCidrs load() {
        JsonNode saved;
        try {
            saved = json.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException none) {
            return PodCidrs.NONE;
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is unreadable: " + e.getMessage(), e);
        }
        if (saved.path("format").asInt() != FORMAT || !saved.path("podCidrs").isArray()) {
            throw new UncheckedIOException(new IOException(file + " is not a format " + FORMAT + " pod CIDR record"));
        }
        List<String> cidrs = new ArrayList<>();
        saved.path("podCidrs").forEach(c -> cidrs.add(c.asText()));
        try {
            return PodCidrs.parse(String.join(",", cidrs));
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException(file + " holds an invalid pod CIDR: " + e.getMessage(), e));
        }
    }

    public void save(PodCidrs cidrs) {
        ObjectNode record = json.createObjectNode().put("format", FORMAT);
        ArrayNode list = record.putArray("podCidrs");
        cidrs.cidrs().forEach(list::add);
        try {
            AtomicFile.write(file, json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the pod CIDRs to " + file + ": " + e.getMessage(), e);
        }
    }
}
