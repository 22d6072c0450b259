package dev.berth.runtime.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes a bundle's config.json. */
public final class SpecFiles {
    /** A config.json is small; one larger than this is not a config. */
    static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SpecFiles() {}

    /** Reads {@code bundle/config.json}; the exception names the file and what is wrong with it. */
    public static Spec read(Path bundle) throws InvalidSpecException {
        Path file = bundle.resolve("config.json");
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new InvalidSpecException(file + " is larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            return JSON.readValue(file.toFile(), Spec.class);
        } catch (NoSuchFileException e) {
            throw new InvalidSpecException("bundle " + bundle + " has no config.json");
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(file + " is not a valid OCI config: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidSpecException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public static void write(Path bundle, Spec spec) throws IOException {
        Files.createDirectories(bundle);
        JSON.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("config.json").toFile(), spec);
    }
}
