package dev.berth.sandbox;

import dev.berth.cri.api.v1.ContainerFilter;
import java.util.Map;

/**
 * ListContainers' filter; every given part must match: id and pod sandbox id (exact or
 * prefix, as crictl passes truncated ids), every label of the selector, and the state.
 */
final class ContainerFilters {
    private ContainerFilters() {}

    /** The parts decided by the record alone, checked before the runtime is asked for the state. */
    static boolean preselect(ContainerFilter filter, ContainerRecord record) {
        if (filter == null) {
            return true;
        }
        if (!filter.getId().isEmpty() && !record.id().startsWith(filter.getId())) {
            return false;
        }
        if (!filter.getPodSandboxId().isEmpty() && !record.sandboxId().startsWith(filter.getPodSandboxId())) {
            return false;
        }
        for (Map.Entry<String, String> want : filter.getLabelSelectorMap().entrySet()) {
            if (!want.getValue().equals(record.labels().get(want.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(ContainerFilter filter, ContainerStates.View view) {
        return filter == null || !filter.hasState() || filter.getState().getState() == view.state();
    }
}
