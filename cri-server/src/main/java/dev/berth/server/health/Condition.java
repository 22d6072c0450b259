package dev.berth.server.health;

/**
 * One readiness condition of the runtime, as CRI {@code Status} reports it: a reason and a
 * message are required when it is not ready, so an operator knows what to fix.
 */
public record Condition(String type, boolean ready, String reason, String message) {

    public static Condition ready(String type) {
        return new Condition(type, true, "", "");
    }

    public static Condition notReady(String type, String reason, String message) {
        return new Condition(type, false, reason, message);
    }
}
