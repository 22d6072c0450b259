package dev.berth.server.health;

/** A source of one {@link Condition}; each domain module contributes its own. */
@FunctionalInterface
public interface ReadinessCheck {
    Condition check();
}
