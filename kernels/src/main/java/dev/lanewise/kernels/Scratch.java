package dev.lanewise.kernels;

import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.ScratchSlots;

/**
 * Scratch memory a caller owns and passes into lanewise calls, instead of the per-thread scratch
 * those calls otherwise keep in thread-locals (which stays the default for simple use). One slot per
 * thread a call may use: a call on {@code T = Lanewise.threads()} threads uses slot 0 on the calling
 * thread and slot {@code w + 1} on pool worker {@code w}, never one slot from two threads, and no
 * thread-local scratch on any thread.
 *
 * <p>Each slot holds what its thread's part of a call needs (packed GEMM blocks, a copy of a padded
 * image, a band of input rows, per-call records) and is made empty, grown on demand to the largest
 * call it served, and never shrunk: after the first calls of a shape, calls allocate nothing. A
 * slot holds at most the {@code workspaceBytesPerThread} of the one plan or operator shape it
 * served (for example {@code dev.lanewise.nn.conv.ConvPlan#workspaceBytesPerThread()}), and at most
 * their sum when it served several, so a memory planner can size scratch before the first call and
 * read what it holds with {@link #retainedBytes()}.
 *
 * <p>Not thread-safe: one call at a time may use a scratch (calls from different threads need
 * scratch each, or the default). Made only by {@link #forThreads}; calls reject other implementations.
 */
public interface Scratch {

    /**
     * Empty scratch of {@code threads} slots, for calls that use up to {@code threads} threads
     * ({@code Lanewise.threads()} at the time of the call).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    static Scratch forThreads(int threads) {
        Checks.positive("threads", threads);
        return new ScratchSlots(threads);
    }

    /** Slots: the most threads a call with this scratch may use. */
    int threads();

    /** Bytes of scratch all slots hold now. */
    long retainedBytes();
}
