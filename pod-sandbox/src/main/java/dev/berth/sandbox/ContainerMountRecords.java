package dev.berth.sandbox;

import dev.berth.cri.api.v1.Mount;
import dev.berth.cri.api.v1.MountPropagation;
import dev.berth.sandbox.ContainerRecord.MountRecord;
import java.util.List;

/** CRI mounts to their record form and back (status reports the mounts as asked). */
final class ContainerMountRecords {
    private ContainerMountRecords() {}

    static List<MountRecord> of(List<Mount> mounts) {
        return mounts.stream()
                .map(m -> new MountRecord(m.getContainerPath(), m.getHostPath(), m.getReadonly(), m.getSelinuxRelabel(),
                        m.getPropagation().name()))
                .toList();
    }

    static List<Mount> toProto(List<MountRecord> mounts) {
        return mounts.stream()
                .map(m -> Mount.newBuilder()
                        .setContainerPath(m.containerPath())
                        .setHostPath(m.hostPath())
                        .setReadonly(m.readonly())
                        .setSelinuxRelabel(m.selinuxRelabel())
                        .setPropagation(propagation(m.propagation()))
                        .build())
                .toList();
    }

    private static MountPropagation propagation(String name) {
        try {
            return MountPropagation.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return MountPropagation.PROPAGATION_PRIVATE;
        }
    }
}
