package dev.berth.sandbox;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Steps with rollback: each {@link #run} does one step and registers its undo; if the work is
 * not {@link #commit() committed} when the block ends, {@link #close()} runs the undos of the
 * steps that succeeded, newest first. A failing undo is logged and the rest still run, so one
 * broken undo never leaves the others' resources behind.
 *
 * <pre>
 *   try (Steps steps = new Steps("run sandbox " + id)) {
 *       Path netns = steps.run("set up network", () -> network.setUp(req), r -> network.tearDown(id));
 *       ...
 *       steps.commit();
 *   }
 * </pre>
 */
final class Steps implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Steps.class.getName());

    interface Action<T> {
        T run() throws Exception;
    }

    interface Undo<T> {
        void undo(T result) throws Exception;
    }

    private record Done(String name, Runnable undo) {}

    private final String work;
    private final Deque<Done> done = new ArrayDeque<>();
    private final long began = System.nanoTime();
    /** "step 1.2 ms, ..." for the debug log (where the time of a slow create or run went); null when it is off. */
    private final StringBuilder timings = LOG.isLoggable(Level.DEBUG) ? new StringBuilder() : null;
    private boolean committed;

    Steps(String work) {
        this.work = work;
    }

    /** Runs a step; when it throws, nothing of it is registered (a step undoes its own partial work). */
    <T> T run(String name, Action<T> action, Undo<? super T> undo) {
        T result;
        long start = System.nanoTime();
        try {
            result = action.run();
            if (timings != null) {
                timings.append(timings.isEmpty() ? "" : ", ").append(name).append(' ').append(millis(start));
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SandboxException(SandboxException.Kind.INTERNAL, work + ": " + name + " failed: " + e.getMessage(), e);
        }
        done.push(new Done(name, () -> {
            try {
                undo.undo(result);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }));
        return result;
    }

    /** Like {@link #run} for a step with no result. */
    void run(String name, Runnable action, Runnable undo) {
        run(name, () -> {
            action.run();
            return null;
        }, ignored -> undo.run());
    }

    void commit() {
        committed = true;
        if (timings != null) {
            LOG.log(Level.DEBUG, work + " took " + millis(began) + " ms: " + timings);
        }
    }

    private static String millis(long since) {
        return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - since) / 1e6);
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        while (!done.isEmpty()) {
            Done step = done.pop();
            try {
                step.undo().run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "{0}: undoing \"{1}\" failed, continuing the rollback: {2}", work, step.name(), e.getMessage());
            }
        }
    }
}
