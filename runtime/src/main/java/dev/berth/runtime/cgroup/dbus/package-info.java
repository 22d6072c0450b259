/**
 * D-Bus bindings of the systemd manager interface for the systemd cgroup driver (dbus-java
 * needs them public). Only {@code dev.berth.runtime.cgroup} uses them.
 */
package dev.berth.runtime.cgroup.dbus;
