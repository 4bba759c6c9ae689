package dev.lanewise.nn;

import dev.lanewise.kernels.Scratch;
import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.PoolKernels;
import dev.lanewise.kernels.internal.SharedPool;
import dev.lanewise.kernels.internal.WorkerPool;
import dev.lanewise.kernels.internal.Workspaces;
import java.util.Objects;

/**
 * ONNX {@code GlobalAveragePool} and {@code GlobalMaxPool}: one value per plane of an NCHW batch,
 * {@code y[p] = average or max of x[p][y][x] over all H x W cells}, {@code p = n * C + c}.
 *
 * <h2>Exact results</h2>
 * The maximum follows {@link Math#max(float, float)} (NaN wins, {@code +0.0 > -0.0}). The average is
 * {@code sum / (H * W)} in float, where the sum is taken in a fixed order that does not depend on
 * the vector width: sixteen partial sums starting at {@code -0.0f}, cell {@code i} of the plane
 * (row-major) added to partial {@code i % 16}, then the partials combined pairwise ({@code p[j] +=
 * p[j + w]} for {@code w = 8, 4, 2, 1}). Every implementation path and
 * {@link dev.lanewise.nn.ref.RefPool2d} compute exactly this, so results are bit-identical
 * everywhere; the error is that of a 16-way blocked sum, far below a sequential one's on large planes.
 *
 * <h2>Layout, threads, errors</h2>
 * Input plane {@code p} starts at {@code inOffset + p * inPlaneStride} ({@code H * W} in the dense
 * overloads); its result is {@code output[outOffset + p]}. Large calls split planes over the shared
 * pool; results do not depend on the thread count. Thread-safe; a call allocates nothing once
 * compiled. Arguments are checked before anything is written, as for {@link MaxPool2d}.
 *
 * <h2>Memory</h2>
 * A thread an average uses holds {@value #WORKSPACE_BYTES_PER_THREAD} bytes of scratch (the partial
 * sums), thread-local or, with the overloads taking a {@link Scratch}, the caller's; a maximum needs none.
 */
public final class GlobalPool {

    /** Bytes of scratch a thread a call uses holds at most, whatever the sizes. */
    public static final long WORKSPACE_BYTES_PER_THREAD = PoolKernels.GLOBAL_SCRATCH_BYTES;

    private GlobalPool() {
    }

    /** {@code GlobalAveragePool} of a dense NCHW batch: {@code batch * channels} results from {@code outOffset}. */
    public static void average(int batch, int channels, int height, int width, float[] input, int inOffset,
                               float[] output, int outOffset) {
        average(batch, channels, height, width, input, inOffset, planeSize(height, width), output, outOffset);
    }

    /** {@code GlobalAveragePool} of planes {@code inPlaneStride} apart. */
    public static void average(int batch, int channels, int height, int width, float[] input, int inOffset,
                               int inPlaneStride, float[] output, int outOffset) {
        run(PlaneTask.Op.GLOBAL_AVERAGE, batch, channels, height, width, input, inOffset, inPlaneStride, output, outOffset,
                null);
    }

    /**
     * {@link #average(int, int, int, int, float[], int, int, float[], int)} with the caller's
     * {@code scratch} instead of thread-local scratch (see {@link Scratch}).
     *
     * @throws NullPointerException     if {@code scratch} is null
     * @throws IllegalArgumentException if {@code scratch} has fewer slots than {@code Lanewise.threads()}
     *                                  or was not made by {@link Scratch#forThreads}, or as the overload
     *                                  without it
     */
    public static void average(int batch, int channels, int height, int width, float[] input, int inOffset,
                               int inPlaneStride, float[] output, int outOffset, Scratch scratch) {
        run(PlaneTask.Op.GLOBAL_AVERAGE, batch, channels, height, width, input, inOffset, inPlaneStride, output, outOffset,
                Objects.requireNonNull(scratch, "scratch"));
    }

    /** {@code GlobalMaxPool} of a dense NCHW batch: {@code batch * channels} results from {@code outOffset}. */
    public static void max(int batch, int channels, int height, int width, float[] input, int inOffset,
                           float[] output, int outOffset) {
        max(batch, channels, height, width, input, inOffset, planeSize(height, width), output, outOffset);
    }

    /** {@code GlobalMaxPool} of planes {@code inPlaneStride} apart. */
    public static void max(int batch, int channels, int height, int width, float[] input, int inOffset,
                           int inPlaneStride, float[] output, int outOffset) {
        run(PlaneTask.Op.GLOBAL_MAX, batch, channels, height, width, input, inOffset, inPlaneStride, output, outOffset,
                null);
    }

    /**
     * {@link #max(int, int, int, int, float[], int, int, float[], int)} with the caller's
     * {@code scratch} (a maximum needs no buffers: its slots hold only the call's record), checked as
     * {@link #average(int, int, int, int, float[], int, int, float[], int, Scratch)} checks it.
     */
    public static void max(int batch, int channels, int height, int width, float[] input, int inOffset,
                           int inPlaneStride, float[] output, int outOffset, Scratch scratch) {
        run(PlaneTask.Op.GLOBAL_MAX, batch, channels, height, width, input, inOffset, inPlaneStride, output, outOffset,
                Objects.requireNonNull(scratch, "scratch"));
    }

    /** Checks every argument, then runs {@code op} with {@code scratch}, or thread-local scratch when it is null. */
    private static void run(PlaneTask.Op op, int batch, int channels, int height, int width, float[] in, int inOff,
                            int inPlaneStride, float[] out, int outOff, Scratch scratch) {
        WorkerPool pool = SharedPool.get();
        Workspaces workspaces = scratch == null ? Workspaces.PER_THREAD : Workspaces.of(scratch, pool);
        int planes = PlaneTask.planes(batch, channels);
        int planeSize = planeSize(height, width);
        Objects.requireNonNull(in, "input");
        long inEnd = PlaneTask.checkPlanes("input", in.length, inOff, planes, planeSize, inPlaneStride);
        long outEnd = Checks.vector("output", out, outOff, planes);
        Checks.noOverlap("output", out, outOff, outEnd, "input", in, inOff, inEnd);
        PlaneTask.global(op, planes, planeSize, in, inOff, inPlaneStride, out, outOff, pool, workspaces);
    }

    private static int planeSize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height = " + height + " and width = " + width + " must be >= 1");
        }
        long size = (long) height * width;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("height * width = " + size + " exceeds Integer.MAX_VALUE");
        }
        return (int) size;
    }
}
