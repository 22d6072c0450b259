package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** For the fake systemd on a test bus: dbus-java names an error reply after the class of the exception thrown. */
public class UnitExists extends DBusExecutionException {
    public UnitExists(String message) {
        super(message);
    }
}
