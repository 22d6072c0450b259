package dev.berth.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, {@code algorithm:hex}; sha256 and sha512 are verified, others refused. */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean ok = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!ok) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT,
                    "digest \"" + algorithm + ":" + hex + "\" is not sha256:<64 hex> or sha512:<128 hex>");
        }
    }

    public static Digest parse(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT, "digest \"" + s + "\" has no algorithm");
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    public static Digest sha256(byte[] data) {
        return of("sha256", newDigest("sha256").digest(data));
    }

    static Digest of(String algorithm, byte[] sum) {
        return new Digest(algorithm, HexFormat.of().formatHex(sum));
    }

    /** A fresh hasher for this digest's algorithm. */
    MessageDigest newHasher() {
        return newDigest(algorithm);
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
