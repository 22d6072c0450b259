package dev.berth.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/** Reads {@code config.toml} into a validated {@link BerthConfig}. */
public final class ConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("/etc/berth/config.toml");

    private final TomlMapper mapper;

    public ConfigLoader() {
        mapper = TomlMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // A number where a string belongs (or the reverse) is a mistake in the file, not a value.
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Boolean)) {
            for (CoercionInputShape shape : CoercionInputShape.values()) {
                if (shape != CoercionInputShape.EmptyString) {
                    mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
    }

    /**
     * Loads {@code file}. A missing file is fine only when {@code required} is false (the
     * default path): every key then has its default.
     */
    public BerthConfig load(Path file, boolean required) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ConfigException(file + ": config file not found");
            }
            return BerthConfig.defaults();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** Parses config text; {@code source} names it in error messages. */
    public BerthConfig parse(String source, String text) throws ConfigException {
        BerthConfig config;
        try {
            config = text.isBlank() ? BerthConfig.defaults() : mapper.readValue(text, BerthConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(where(source, text, keyPath(e), e) + "unknown key \"" + keyName(e)
                    + "\"; known keys here: " + e.getKnownPropertyIds() + " (berth config default lists every key)", e);
        } catch (JsonMappingException e) {
            throw new ConfigException(where(source, text, keyPath(e), e) + "bad value for key \"" + keyName(e)
                    + "\": " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new ConfigException(where(source, text, List.of(), e) + "malformed TOML: " + e.getOriginalMessage(), e);
        }
        ConfigValidator.validate(config, key -> where(source, text, List.of(key.split("\\.")), null));
        return config;
    }

    /** The table and key names leading to the error, to find its line (a list position is on the key's line). */
    private static List<String> keyPath(JsonMappingException e) {
        return e.getPath().stream().map(JsonMappingException.Reference::getFieldName).filter(Objects::nonNull).toList();
    }

    /** The key as a reader writes it, with a list position where there is one: {@code cni.conf_dirs[1]}. */
    private static String keyName(JsonMappingException e) {
        StringBuilder name = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() == null) {
                name.append('[').append(ref.getIndex()).append(']');
            } else {
                name.append(name.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        }
        return name.toString();
    }

    /** Checks a config after command-line flags changed it. */
    public static BerthConfig validateOverrides(BerthConfig config) throws ConfigException {
        ConfigValidator.validate(config, key -> "command line: ");
        return config;
    }

    private static String where(String source, String text, List<String> path, JacksonException e) {
        JsonLocation loc = e == null ? null : e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            return source + ":" + loc.getLineNr() + ": ";
        }
        OptionalInt line = TomlKeyLocator.lineOf(text, path);
        return line.isPresent() ? source + ":" + line.getAsInt() + ": " : source + ": ";
    }
}
