package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where things live under the store root:
 * <pre>
 * blobs/&lt;alg&gt;/&lt;hex&gt;        content by digest (manifests, configs; layers if kept)
 * snapshots/&lt;chain hex&gt;/    one unpacked layer per chain ID (an overlay lowerdir)
 * images/&lt;id hex&gt;.json       image records
 * containers/&lt;id&gt;/          a container's rootfs.json (its hold on an image), upper/, work/
 * tmp/                        partial downloads and unpacks; emptied on start
 * </pre>
 */
record StoreLayout(Path root) {
    static StoreLayout create(Path root) throws IOException {
        StoreLayout l = new StoreLayout(root);
        for (Path dir : new Path[] {root, l.blobs(), l.snapshots(), l.images(), l.containers(), l.tmp()}) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
        return l;
    }

    Path blobs() {
        return root.resolve("blobs");
    }

    Path blob(Digest d) {
        return blobs().resolve(d.algorithm()).resolve(d.hex());
    }

    Path snapshots() {
        return root.resolve("snapshots");
    }

    Path snapshot(Digest chainId) {
        return snapshots().resolve(chainId.hex());
    }

    Path images() {
        return root.resolve("images");
    }

    Path containers() {
        return root.resolve("containers");
    }

    Path tmp() {
        return root.resolve("tmp");
    }
}
