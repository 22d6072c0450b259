package dev.berth.runtime.shim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The berth-shim executable. It ships inside the runtime jar and is written once per
 * version into a root-only directory, named by its hash, so a running shim's file is never
 * replaced underneath it. (The shim then runs from a sealed memfd copy anyway.)
 */
public final class ShimBinary {
    private static final String RESOURCE = "/native/berth-shim";

    private ShimBinary() {}

    /** Writes the bundled shim into {@code dir} if it is not there yet and returns its path. */
    public static Path install(Path dir) {
        try (InputStream in = ShimBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("berth-shim is missing from the runtime jar; rebuild with gcc and libseccomp-dev installed");
            }
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path target = dir.resolve("berth-shim-" + hash);
            if (!Files.isExecutable(target)) {
                Path tmp = Files.createTempFile(dir, "berth-shim", ".tmp");
                Files.write(tmp, bytes);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-x------"));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install berth-shim into " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
