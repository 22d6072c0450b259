package dev.berth.server.daemon;

import static dev.berth.server.daemon.ListStreamSocketTest.batches;
import static dev.berth.server.daemon.ListStreamSocketTest.flatten;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.cri.api.v1.Image;
import dev.berth.cri.api.v1.ImageFilter;
import dev.berth.cri.api.v1.ImageServiceGrpc;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.cri.api.v1.ListImagesRequest;
import dev.berth.cri.api.v1.PullImageRequest;
import dev.berth.cri.api.v1.StreamImagesRequest;
import dev.berth.server.cli.CriChannels;
import dev.berth.server.config.BerthConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StreamImages against ListImages through the daemon's CRI socket, on 100 images pulled from a
 * real registry: each is one tiny layer (shared, so unpacked once) under a config of its own.
 * (100, not 500: pushing, pulling and deleting 500 takes about a minute here; the batching
 * itself is the same code {@link ListStreamSocketTest} drives with 500 pods.)
 */
class StreamImagesSocketTest {
    private static final int IMAGES = 100;

    @TempDir
    Path dir;

    @Test
    void streamImagesAnswersWhatListImagesAnswers() throws Exception {
        assumeTrue(TestRegistry.available(), "needs " + TestRegistry.BINARY + " (Debian package docker-registry)");
        try (TestRegistry registry = TestRegistry.start(Files.createDirectory(dir.resolve("registry")))) {
            registry.writeHostsToml(TestConfigs.certsDir(dir));
            BerthConfig config = TestConfigs.inside(dir, false);
            try (Daemon daemon = Daemon.start(config); CriChannels client = new CriChannels(config.grpc().socket())) {
                ImageServiceGrpc.ImageServiceBlockingStub images = ImageServiceGrpc.newBlockingStub(client.channel());
                byte[] layer = TestRegistry.Tar.of("hello", "hello\n");
                List<String> references = new ArrayList<>();
                try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
                    List<Future<String>> pulls = new ArrayList<>();
                    for (int i = 0; i < IMAGES; i++) {
                        String repo = "berth/many-" + i;
                        pulls.add(workers.submit(() -> {
                            String reference = registry.pushImage(repo, "1", "\"Cmd\":[\"/" + repo + "\"]", layer).reference();
                            images.pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(reference)).build());
                            return reference;
                        }));
                    }
                    for (Future<String> pull : pulls) {
                        references.add(pull.get());
                    }
                }

                List<Image> listed = images.listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
                assertEquals(IMAGES, listed.size());
                assertEquals(listed, flatten(batches(images.streamImages(StreamImagesRequest.getDefaultInstance()), r -> r.getImagesList())));

                ImageFilter one = ImageFilter.newBuilder().setImage(ImageSpec.newBuilder().setImage(references.get(42))).build();
                List<Image> listedOne = images.listImages(ListImagesRequest.newBuilder().setFilter(one).build()).getImagesList();
                assertEquals(1, listedOne.size());
                assertEquals(listedOne, flatten(batches(images.streamImages(StreamImagesRequest.newBuilder().setFilter(one).build()),
                        r -> r.getImagesList())));
            }
        }
    }
}
