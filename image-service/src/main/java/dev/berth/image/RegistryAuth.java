package dev.berth.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Registry credentials as CRI's AuthConfig carries them; empty strings mean unset.
 *
 * @param auth base64 of {@code username:password}, used when username is empty
 * @param identityToken a refresh token, exchanged at the token endpoint (OAuth2 refresh_token grant)
 * @param registryToken a bearer token sent to the registry as is
 */
public record RegistryAuth(String username, String password, String auth, String identityToken, String registryToken) {
    public RegistryAuth {
        username = nonNull(username);
        password = nonNull(password);
        auth = nonNull(auth);
        identityToken = nonNull(identityToken);
        registryToken = nonNull(registryToken);
    }

    public static RegistryAuth basic(String username, String password) {
        return new RegistryAuth(username, password, "", "", "");
    }

    /** The username, from {@link #username} or decoded from {@link #auth}. */
    String effectiveUsername() {
        return username.isEmpty() && !auth.isEmpty() ? decodedAuth()[0] : username;
    }

    String effectivePassword() {
        return username.isEmpty() && !auth.isEmpty() ? decodedAuth()[1] : password;
    }

    boolean hasBasic() {
        return !effectiveUsername().isEmpty();
    }

    private String[] decodedAuth() {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT, "auth is not base64 of username:password");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new ImageException(ImageException.Kind.INVALID_ARGUMENT, "auth is not base64 of username:password");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return "RegistryAuth[username=" + effectiveUsername() + ", secrets hidden]";
    }
}
