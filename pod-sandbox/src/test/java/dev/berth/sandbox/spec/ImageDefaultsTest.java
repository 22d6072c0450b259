package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDefaultsTest {
    @Test
    void readsTheConfigObjectOfTheImageConfig() {
        ImageDefaults d = ImageDefaults.parse("""
                {"architecture":"amd64","os":"linux","config":{"Entrypoint":["/docker-entrypoint.sh"],"Cmd":["nginx","-g","daemon off;"],
                 "Env":["PATH=/usr/local/bin:/usr/bin","NGINX_VERSION=1.25"],"WorkingDir":"/srv","User":"101:101",
                 "StopSignal":"SIGQUIT","ExposedPorts":{"80/tcp":{}}},"rootfs":{"type":"layers","diff_ids":[]}}
                """);
        assertEquals(List.of("/docker-entrypoint.sh"), d.entrypoint());
        assertEquals(List.of("nginx", "-g", "daemon off;"), d.cmd());
        assertEquals(List.of("PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=1.25"), d.env());
        assertEquals("/srv", d.workingDir());
        assertEquals("101:101", d.user());
        assertEquals("SIGQUIT", d.stopSignal());
    }

    @Test
    void missingAndNullFieldsAreEmpty() {
        ImageDefaults d = ImageDefaults.parse("{\"config\":{\"Cmd\":null,\"Env\":[\"A=1\"]}}");
        assertEquals(List.of(), d.cmd());
        assertEquals(List.of(), d.entrypoint());
        assertEquals("", d.workingDir());
        assertEquals("", d.user());
        assertEquals(ImageDefaults.NONE, ImageDefaults.parse("{\"architecture\":\"arm64\"}"));
        assertEquals(ImageDefaults.NONE, ImageDefaults.parse("{\"config\":null}"));
    }

    @Test
    void malformedJsonIsASpecException() {
        SpecException e = assertThrows(SpecException.class, () -> ImageDefaults.parse("{\"config\": {\"Cmd\": [\"sh\""));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertThrows(SpecException.class, () -> ImageDefaults.parse(""));
        assertThrows(SpecException.class, () -> ImageDefaults.parse("[1,2]"));
    }

    @Test
    void wrongTypesNameTheField() {
        SpecException e = assertThrows(SpecException.class, () -> ImageDefaults.parse("{\"config\":{\"Cmd\":\"sh -c true\"}}"));
        assertTrue(e.getMessage().contains("config.Cmd"), e.getMessage());
        e = assertThrows(SpecException.class, () -> ImageDefaults.parse("{\"config\":{\"Env\":[\"A=1\", 2]}}"));
        assertTrue(e.getMessage().contains("config.Env"), e.getMessage());
        e = assertThrows(SpecException.class, () -> ImageDefaults.parse("{\"config\":{\"User\":0}}"));
        assertTrue(e.getMessage().contains("config.User"), e.getMessage());
        assertThrows(SpecException.class, () -> ImageDefaults.parse("{\"config\":[]}"));
    }
}
