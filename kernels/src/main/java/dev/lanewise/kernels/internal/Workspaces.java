package dev.lanewise.kernels.internal;

import dev.lanewise.kernels.Scratch;
import java.util.Objects;

/**
 * Where the threads of one call find their {@link Workspace}: thread {@code t} of the pool
 * ({@link WorkerPool#thread()}: 0 the caller, {@code w + 1} worker {@code w}) uses
 * {@link #forThread forThread(t)}. Either every thread's own thread-local workspace
 * ({@link #PER_THREAD}, calls without passed-in scratch) or the slots of a caller's
 * {@link Scratch}, slot {@code t} for thread {@code t}, so that a call with passed-in scratch
 * touches no thread-local scratch. Passed down through a call (facade, plan, driver) and read where
 * a chunk starts.
 */
public abstract sealed class Workspaces permits Workspaces.PerThread, ScratchSlots {

    /** Each thread's own thread-local workspace ({@link Workspace#current()}). */
    public static final Workspaces PER_THREAD = new PerThread();

    Workspaces() {
    }

    /** The workspace of the thread with index {@code thread} in the call's pool; the calling thread must be that thread. */
    public abstract Workspace forThread(int thread);

    /**
     * The slots of a caller's {@code scratch}, for a call on {@code pool}.
     *
     * @throws NullPointerException     if {@code scratch} is null
     * @throws IllegalArgumentException if {@code scratch} was not made by {@link Scratch#forThreads}
     *                                  or has fewer slots than {@code pool} has threads
     */
    public static Workspaces of(Scratch scratch, WorkerPool pool) {
        Objects.requireNonNull(scratch, "scratch");
        if (!(scratch instanceof ScratchSlots slots)) {
            throw new IllegalArgumentException("scratch = " + scratch.getClass().getName()
                    + " must be made by Scratch.forThreads");
        }
        if (slots.threads() < pool.threads()) {
            throw new IllegalArgumentException("scratch has " + slots.threads() + " thread slots, must have >= "
                    + pool.threads() + " (Lanewise.threads(), the threads a call may use)");
        }
        return slots;
    }

    static final class PerThread extends Workspaces {
        @Override
        public Workspace forThread(int thread) {
            return Workspace.current();
        }
    }
}
