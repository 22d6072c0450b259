package dev.berth.sandbox;

import dev.berth.cri.api.v1.Container;
import dev.berth.cri.api.v1.ContainerMetadata;
import dev.berth.cri.api.v1.ContainerStatus;
import dev.berth.cri.api.v1.ImageSpec;
import dev.berth.sandbox.ContainerStates.View;

/** A container's CRI messages (status and list entry) from its {@link View}. */
final class ContainerProtos {
    private ContainerProtos() {}

    static ContainerStatus status(View view) {
        ContainerRecord r = view.record();
        return ContainerStatus.newBuilder()
                .setId(r.id())
                .setMetadata(metadata(r))
                .setState(view.state())
                .setCreatedAt(r.createdAtNanos())
                .setStartedAt(view.startedAt())
                .setFinishedAt(view.finishedAt())
                .setExitCode(view.exitCode())
                .setImage(ImageSpec.newBuilder().setImage(r.image()))
                .setImageRef(r.imageRef())
                .setImageId(r.imageId())
                .setReason(view.reason())
                .setMessage(view.message())
                .putAllLabels(r.labels())
                .putAllAnnotations(r.annotations())
                .addAllMounts(ContainerMountRecords.toProto(r.mounts()))
                .setLogPath(r.logPath())
                .setStopSignal(Signals.toCri(r.stopSignal()))
                .build();
    }

    static Container container(View view) {
        ContainerRecord r = view.record();
        return Container.newBuilder()
                .setId(r.id())
                .setPodSandboxId(r.sandboxId())
                .setMetadata(metadata(r))
                .setImage(ImageSpec.newBuilder().setImage(r.image()))
                .setImageRef(r.imageRef())
                .setImageId(r.imageId())
                .setState(view.state())
                .setCreatedAt(r.createdAtNanos())
                .putAllLabels(r.labels())
                .putAllAnnotations(r.annotations())
                .build();
    }

    static ContainerMetadata metadata(ContainerRecord r) {
        return ContainerMetadata.newBuilder().setName(r.name()).setAttempt(r.attempt()).build();
    }
}
