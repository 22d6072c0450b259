package dev.berth.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The per-attachment parameters of SPEC §3, identified by (containerId, ifName). DEL and CHECK
 * must use what ADD used, so this is kept in the result cache.
 *
 * @param netns path of the network namespace, or null when it is gone (DEL only)
 * @param capabilityArgs capability name to value ({@code portMappings}, {@code dns}, {@code bandwidth})
 */
record Attachment(String containerId, String ifName, String netns, String cniArgs, ObjectNode capabilityArgs) {
    Attachment withNetns(String value) {
        return new Attachment(containerId, ifName, value, cniArgs, capabilityArgs);
    }
}
