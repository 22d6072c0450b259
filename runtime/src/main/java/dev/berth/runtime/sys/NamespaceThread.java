package dev.berth.runtime.sys;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs an action on a new platform thread that exists only for it, so an action may
 * {@link Syscalls#setns enter} or {@link Syscalls#unshare create} a namespace: the thread dies
 * afterwards and no pooled or virtual thread of the daemon ever carries a foreign namespace.
 * (Mount and user namespaces cannot be entered by a thread of a multi-threaded process at
 * all; those belong to berth-shim.)
 */
public final class NamespaceThread {
    private NamespaceThread() {}

    public static <T> T call(String name, Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Thread thread = Thread.ofPlatform().name(name).daemon(true).unstarted(task);
        thread.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception checked) {
                throw checked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            thread.join();
        }
    }
}
