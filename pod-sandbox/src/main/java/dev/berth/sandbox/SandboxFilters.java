package dev.berth.sandbox;

import dev.berth.cri.api.v1.PodSandboxFilter;
import dev.berth.cri.api.v1.PodSandboxState;
import java.util.Map;

/**
 * ListPodSandbox's filter, every given part must match: id (exact or prefix, as crictl passes
 * truncated ids), state, and every label of the selector (equal values).
 */
final class SandboxFilters {
    private SandboxFilters() {}

    static boolean matches(PodSandboxFilter filter, SandboxRecord record, PodSandboxState state) {
        if (filter == null) {
            return true;
        }
        if (!filter.getId().isEmpty() && !record.id().startsWith(filter.getId())) {
            return false;
        }
        if (filter.hasState() && filter.getState().getState() != state) {
            return false;
        }
        for (Map.Entry<String, String> want : filter.getLabelSelectorMap().entrySet()) {
            if (!want.getValue().equals(record.labels().get(want.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
