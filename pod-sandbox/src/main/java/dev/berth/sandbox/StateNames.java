package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerState;
import java.util.Locale;

/** Container states as people read them in messages: "running", not "CONTAINER_RUNNING". */
final class StateNames {
    private StateNames() {}

    static String of(ContainerState state) {
        return state.name().replace("CONTAINER_", "").toLowerCase(Locale.ROOT);
    }
}
