package dev.lanewise.nn;

import dev.lanewise.kernels.Scratch;
import java.util.Objects;

/**
 * 2D max pooling with ONNX {@code MaxPool} semantics over NCHW batches.
 *
 * <h2>What it computes</h2>
 * For every plane {@code p = n * C + c} and output {@code (oy, ox)} (sizes and window as in
 * {@link PoolWindow}):
 * <pre>
 *   y[p][oy][ox] = max { x[p][oy * strideH - padTop + r * dilationH][ox * strideW - padLeft + s * dilationW]
 *                        : r < kernelH, s < kernelW, the cell inside the input }
 * </pre>
 * with the explicit pads, or those ONNX {@code auto_pad} derives for the input size
 * ({@link PoolWindow#withAutoPad}). Padding never wins: it is not part of the set (a window of
 * negative values yields its largest negative value, not 0). The maximum follows
 * {@link Math#max(float, float)}: a window holding NaN yields NaN (as PyTorch's CPU kernel does;
 * which NaN bit pattern is unspecified, the vector {@code max} may return another one than the
 * input's), and {@code +0.0} is larger than {@code -0.0}.
 *
 * <p>With indices (ONNX's second output, PyTorch's {@code return_indices}), each output also gets
 * the position of its maximum flattened over the input tensor, {@code (p * H + y) * W + x} with
 * {@code p} counted from the call's first plane: the first cell in window order (row by row) that
 * holds the maximum, the first NaN if there is one.
 *
 * <h2>Layout</h2>
 * Plane {@code p} of the input starts at {@code inOffset + p * inPlaneStride} and holds
 * {@code H x W} floats row by row; output plane {@code p} starts at {@code outOffset + p *
 * outPlaneStride} (and in {@code indices} at {@code indicesOffset + p * outPlaneStride}). The dense
 * overloads use strides {@code H * W} and {@code OH * OW}; larger strides pool a slice of a bigger
 * buffer (some channels of a tensor) without copying it.
 *
 * <h2>How and threads</h2>
 * Vectorised along the output row: a vector holds adjacent outputs and each window tap is one load
 * (two loads and a permute at stride 2; from stride 3 up, rows are first split by column phase;
 * clipped windows read a copy padded with {@code -inf}), so each output is the same sequence of {@code max}
 * operations on every path and results are identical on the vector and scalar implementations.
 * Large calls split planes over the shared pool ({@link dev.lanewise.kernels.Lanewise#setThreads});
 * results do not depend on the thread count. Thread-safe; a call allocates nothing once the input
 * size has been seen.
 *
 * <h2>Memory</h2>
 * Each thread a call uses holds at most {@link #workspaceBytesPerThread workspaceBytesPerThread(H, W)}
 * bytes of scratch (rows of column maxima, a band of input rows padded with {@code -inf}): its own
 * thread-local scratch, or with the overloads taking a {@link Scratch}, the caller's (slot {@code t}
 * on thread {@code t} of the pool), and then no thread keeps scratch of the call.
 *
 * <h2>Errors</h2>
 * Every argument is checked before anything is written: bad sizes, a window of
 * padding alone, strides smaller than a plane, ranges past an array and an output overlapping the
 * input throw {@link IllegalArgumentException} or {@link IndexOutOfBoundsException} naming the argument.
 */
public final class MaxPool2d {

    private final PoolRunner runner;

    private MaxPool2d(PoolWindow window) {
        this.runner = new PoolRunner(window);
    }

    /** Max pooling over {@code window}. */
    public static MaxPool2d of(PoolWindow window) {
        return new MaxPool2d(window);
    }

    /**
     * PyTorch's {@code torch.nn.MaxPool2d(kernelSize, stride, padding, dilation, ceilMode)}: square
     * kernel, symmetric padding; lanewise's ceil mode is PyTorch's.
     */
    public static MaxPool2d pytorch(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        return of(PoolWindow.of(kernelSize, kernelSize).withStrides(stride, stride)
                .withPads(padding, padding, padding, padding).withDilations(dilation, dilation).withCeilMode(ceilMode));
    }

    public PoolWindow window() {
        return runner.window();
    }

    /** Output rows for an input of {@code height} rows; see {@link PoolWindow#outputHeight}. */
    public int outputHeight(int height) {
        return runner.window().outputHeight(height);
    }

    /** Output columns for an input of {@code width} columns; see {@link PoolWindow#outputWidth}. */
    public int outputWidth(int width) {
        return runner.window().outputWidth(width);
    }

    /** Pools a dense NCHW batch: {@code batch x channels x height x width} floats in, {@code OH x OW} per plane out. */
    public void forward(int batch, int channels, int height, int width, float[] input, int inOffset,
                        float[] output, int outOffset) {
        forward(batch, channels, height, width, input, inOffset, height * width,
                output, outOffset, outputHeight(height) * outputWidth(width));
    }

    /**
     * Bytes of scratch a thread pooling an input of {@code height x width} holds at most, whatever the
     * batch and channels (0 when rows are narrower than a vector). Pure.
     *
     * @throws IllegalArgumentException if a size is below 1 or the window does not fit the input
     */
    public long workspaceBytesPerThread(int height, int width) {
        return runner.workspaceBytesPerThread(height, width);
    }

    /** Pools {@code batch * channels} planes laid out with the given plane strides (see the class comment). */
    public void forward(int batch, int channels, int height, int width, float[] input, int inOffset, int inPlaneStride,
                        float[] output, int outOffset, int outPlaneStride) {
        runner.run(PlaneTask.Op.MAX, batch, channels, height, width, input, inOffset, inPlaneStride,
                output, outOffset, outPlaneStride, null, 0, null);
    }

    /**
     * {@link #forward(int, int, int, int, float[], int, int, float[], int, int)} with the caller's
     * {@code scratch} instead of thread-local scratch (see {@link Scratch}).
     *
     * @throws NullPointerException     if {@code scratch} is null
     * @throws IllegalArgumentException if {@code scratch} has fewer slots than {@code Lanewise.threads()}
     *                                  or was not made by {@link Scratch#forThreads}, or as the overload
     *                                  without it
     */
    public void forward(int batch, int channels, int height, int width, float[] input, int inOffset, int inPlaneStride,
                        float[] output, int outOffset, int outPlaneStride, Scratch scratch) {
        Objects.requireNonNull(scratch, "scratch");
        runner.run(PlaneTask.Op.MAX, batch, channels, height, width, input, inOffset, inPlaneStride,
                output, outOffset, outPlaneStride, null, 0, scratch);
    }

    /**
     * Pools like {@link #forward(int, int, int, int, float[], int, int, float[], int, int)} and writes
     * each maximum's flattened input index to {@code indices}, laid out like the output.
     */
    public void forwardWithIndices(int batch, int channels, int height, int width, float[] input, int inOffset,
                                   int inPlaneStride, float[] output, int outOffset, int outPlaneStride,
                                   long[] indices, int indicesOffset) {
        runner.run(PlaneTask.Op.MAX_WITH_INDICES, batch, channels, height, width, input, inOffset, inPlaneStride,
                output, outOffset, outPlaneStride, indices, indicesOffset, null);
    }

    /**
     * {@link #forwardWithIndices(int, int, int, int, float[], int, int, float[], int, int, long[], int)}
     * with the caller's {@code scratch} instead of thread-local scratch (see {@link Scratch}).
     *
     * @throws NullPointerException     if {@code scratch} is null
     * @throws IllegalArgumentException if {@code scratch} has fewer slots than {@code Lanewise.threads()}
     *                                  or was not made by {@link Scratch#forThreads}, or as the overload
     *                                  without it
     */
    public void forwardWithIndices(int batch, int channels, int height, int width, float[] input, int inOffset,
                                   int inPlaneStride, float[] output, int outOffset, int outPlaneStride,
                                   long[] indices, int indicesOffset, Scratch scratch) {
        Objects.requireNonNull(scratch, "scratch");
        runner.run(PlaneTask.Op.MAX_WITH_INDICES, batch, channels, height, width, input, inOffset, inPlaneStride,
                output, outOffset, outPlaneStride, indices, indicesOffset, scratch);
    }

    @Override
    public String toString() {
        return "MaxPool2d[" + runner.window() + "]";
    }
}
