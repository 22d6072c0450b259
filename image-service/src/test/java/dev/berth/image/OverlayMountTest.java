package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rootfs as the kernel sees it: a real overlay mount of the image's snapshots. */
@Tag("root")
class OverlayMountTest extends RegistryTestBase {
    @Test
    void whiteoutsAndOpaqueDirsHideLowerLayersInTheMountedRootfs() throws Exception {
        Assumptions.assumeTrue(ROOT, "needs root: overlay mounts, whiteout char devices and trusted.* xattrs");
        Syscalls sys = new LinuxSyscalls();
        service.close();
        service = DefaultImageService.open(config(), listener, Timing.SYSTEM, new LinuxFsOps(), sys);
        String repo = unique("overlay");
        byte[] base = busyboxTar();
        byte[] mid = new TarBuilder().dir("etc", 0755).file("etc/keep", "k").file("etc/old", "o").dir("var/cache", 0755)
                .file("var/cache/x", "x").build();
        byte[] top = new TarBuilder().whiteout("etc", "old").dir("var/cache", 0755).opaque("var/cache")
                .file("var/cache/y", "y").ownedFile("bin/su", "s", 04755, 0, 0).build();
        new TestImage().layer(TestImage.Layer.gzip(base)).layer(TestImage.Layer.zstd(mid)).layer(TestImage.Layer.plain(top))
                .push(registry, repo, "v1");
        Image image = service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        service.prepareRootfs("ctr", image.id());
        Path target = Files.createDirectory(dir.resolve("rootfs"));
        service.mountRootfs("ctr", target);
        try {
            assertTrue(Files.isExecutable(target.resolve("bin/busybox")));
            assertEquals("k", Files.readString(target.resolve("etc/keep")));
            assertFalse(Files.exists(target.resolve("etc/old")), "whited out");
            try (Stream<Path> s = Files.list(target.resolve("var/cache"))) {
                assertEquals(Set.of("y"), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()), "opaque");
            }
            assertEquals(04755, (Integer) Files.getAttribute(target.resolve("bin/su"), "unix:mode") & 07777);
            Files.writeString(target.resolve("etc/written"), "w");
            Process p = new ProcessBuilder("chroot", target.toString(), "/bin/sh", "-c", "/bin/busybox cat /etc/keep; /bin/busybox ls /var/cache")
                    .redirectErrorStream(true).start();
            assertEquals("k" + "y\n", new String(p.getInputStream().readAllBytes()));
        } finally {
            sys.umount(target, Syscalls.MNT_DETACH);
        }
        assertTrue(Files.exists(service.prepareRootfs("ctr", image.id()).upperDir().resolve("etc/written")), "writes go to upper");
        service.removeRootfs("ctr");
    }

    @Test
    void unpackThroughput() throws Exception {
        Assumptions.assumeTrue(ROOT, "needs root: measures the real unpack path with ownership");
        String repo = unique("big");
        TarBuilder tar = new TarBuilder();
        byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
        for (int i = 0; i < 40; i++) {
            tar.file("usr/lib/f" + i, busybox, 0755);
        }
        TestImage.Layer layer = TestImage.Layer.gzip(tar.build());
        new TestImage().layer(layer).push(registry, repo, "v1");
        long start = System.nanoTime();
        service.pull(HOST + "/" + repo + ":v1", PullOptions.ANONYMOUS);
        double seconds = Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0;
        System.out.printf("pull+unpack of %d MiB (%d MiB gzip): %.2f s, %.0f MiB/s uncompressed%n", layer.tar().length >> 20,
                layer.blob().length >> 20, seconds, (layer.tar().length / 1048576.0) / seconds);
        assertEquals(40, Files.list(Files.list(root.resolve("snapshots")).findFirst().orElseThrow().resolve("usr/lib")).count());
    }
}
