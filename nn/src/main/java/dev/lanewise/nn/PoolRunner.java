package dev.lanewise.nn;

import dev.lanewise.kernels.Scratch;
import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.Providers;
import dev.lanewise.kernels.internal.SharedPool;
import dev.lanewise.kernels.internal.WindowShape;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspaces;
import java.util.Objects;

/**
 * What {@link MaxPool2d} and {@link AveragePool2d} share: the window, the resolved shape of the
 * last input size (so a steady-state call allocates nothing), and a call's checks, which all run
 * before anything is written.
 */
final class PoolRunner {

    private final PoolWindow window;
    /** The shape of the most recent input size; replaced when the size changes. */
    private volatile WindowShape shape;

    PoolRunner(PoolWindow window) {
        this.window = Objects.requireNonNull(window, "window");
    }

    PoolWindow window() {
        return window;
    }

    /**
     * Bytes of scratch a thread pooling an input of {@code height x width} holds at most, whatever
     * the batch and channels.
     *
     * @throws IllegalArgumentException as a call with this size would
     */
    long workspaceBytesPerThread(int height, int width) {
        return Providers.current().pooling().scratchBytes(shape(height, width));
    }

    /**
     * Pools {@code batch * channels} planes: checks every argument, then runs {@code op} with the
     * caller's {@code scratch}, or thread-local scratch when it is null. {@code indices} is used only
     * by {@link PlaneTask.Op#MAX_WITH_INDICES}.
     */
    void run(PlaneTask.Op op, int batch, int channels, int height, int width,
             float[] in, int inOff, int inPlaneStride, float[] out, int outOff, int outPlaneStride,
             long[] indices, int indicesOff, Scratch scratch) {
        WorkerPool pool = SharedPool.get();
        Workspaces workspaces = scratch == null ? Workspaces.PER_THREAD : Workspaces.of(scratch, pool);
        int planes = PlaneTask.planes(batch, channels);
        WindowShape s = shape(height, width);
        Objects.requireNonNull(in, "input");
        Objects.requireNonNull(out, "output");
        int outPlane = s.outputHeight() * s.outputWidth();
        long inEnd = PlaneTask.checkPlanes("input", in.length, inOff, planes, height * width, inPlaneStride);
        long outEnd = PlaneTask.checkPlanes("output", out.length, outOff, planes, outPlane, outPlaneStride);
        if (op == PlaneTask.Op.MAX_WITH_INDICES) {
            Objects.requireNonNull(indices, "indices");
            PlaneTask.checkPlanes("indices", indices.length, indicesOff, planes, outPlane, outPlaneStride);
        }
        Checks.noOverlap("output", out, outOff, outEnd, "input", in, inOff, inEnd);
        PlaneTask.pool(op, s, planes, in, inOff, inPlaneStride, out, outOff, outPlaneStride, indices, indicesOff,
                pool, workspaces);
    }

    private WindowShape shape(int height, int width) {
        WindowShape s = shape;
        if (s == null || s.height() != height || s.width() != width) {
            if ((long) height * width > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("height * width = " + (long) height * width + " exceeds Integer.MAX_VALUE");
            }
            s = window.shape(height, width);
            shape = s;
        }
        return s;
    }
}
