package dev.berth.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts about this build of Berth, filled in by Maven resource filtering. */
public final class BuildInfo {
    public static final String RUNTIME_NAME = "berth";
    /** The CRI API version Berth serves. */
    public static final String CRI_API_VERSION = "v1";

    private static final String VERSION = load().getProperty("version", "unknown");

    private BuildInfo() {}

    public static String version() {
        return VERSION;
    }

    private static Properties load() {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/berth-version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read berth-version.properties from the berth jar", e);
        }
        return props;
    }
}
