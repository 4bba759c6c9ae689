package dev.lanewise.nn;

import dev.lanewise.kernels.Scratch;
import java.util.Objects;

/**
 * 2D average pooling with ONNX {@code AveragePool} semantics over NCHW batches.
 *
 * <h2>What it computes</h2>
 * For every plane {@code p = n * C + c} and output {@code (oy, ox)} (sizes and window as in
 * {@link PoolWindow}), with {@code T} the window's cells inside the input:
 * <pre>
 *   y[p][oy][ox] = (sum of x over T) / count
 *   count = |T|                                                  (count_include_pad = 0, ONNX's default)
 *   count = rows of the window inside [-padTop, H + padBottom)
 *         * columns of the window inside [-padLeft, W + padRight) (count_include_pad = 1, PyTorch's default)
 * </pre>
 * so padding adds nothing to the sum and, when it counts, only enlarges the divisor; cells of a
 * ceil-mode window beyond the end padding never count. The pads are the explicit ones or those ONNX
 * {@code auto_pad} derives for the input size ({@link PoolWindow#withAutoPad}), which count alike
 * (as ONNX's reference implementation pads the input with them either way).
 *
 * <p>Rounding is fixed: the sum starts at {@code -0.0f} and adds the cells in float, row by row in
 * window order; the result is that sum divided by {@code count} in float. Every implementation path
 * and the reference ({@link dev.lanewise.nn.ref.RefPool2d}) compute exactly this, so results are
 * bit-identical on every machine and thread count. NaN and infinities propagate as IEEE addition
 * does ({@code +inf} and {@code -inf} in one window give NaN).
 *
 * <h2>Layout, threads, errors</h2>
 * As {@link MaxPool2d}: plane {@code p} at {@code offset + p * planeStride}, dense overloads with
 * strides {@code H * W} and {@code OH * OW}, vectorised along the output row, large calls split
 * over planes, no allocation in steady state, scratch of at most
 * {@link #workspaceBytesPerThread workspaceBytesPerThread(H, W)} bytes per thread, thread-local or
 * passed in ({@link Scratch}), everything checked before anything is written.
 */
public final class AveragePool2d {

    private final PoolRunner runner;
    private final boolean countIncludePad;

    private AveragePool2d(PoolWindow window, boolean countIncludePad) {
        this.runner = new PoolRunner(window);
        this.countIncludePad = countIncludePad;
    }

    /**
     * Average pooling over {@code window}.
     *
     * @param countIncludePad ONNX {@code count_include_pad}: whether padding cells count in the divisor
     */
    public static AveragePool2d of(PoolWindow window, boolean countIncludePad) {
        return new AveragePool2d(window, countIncludePad);
    }

    /**
     * PyTorch's {@code torch.nn.AvgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad)}
     * (PyTorch's default for the last is {@code true}); {@code divisor_override} is not offered.
     */
    public static AveragePool2d pytorch(int kernelSize, int stride, int padding, boolean ceilMode,
                                        boolean countIncludePad) {
        return of(PoolWindow.of(kernelSize, kernelSize).withStrides(stride, stride)
                .withPads(padding, padding, padding, padding).withCeilMode(ceilMode), countIncludePad);
    }

    public PoolWindow window() {
        return runner.window();
    }

    public boolean countIncludePad() {
        return countIncludePad;
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

    /** Pools {@code batch * channels} planes laid out with the given plane strides (see {@link MaxPool2d}). */
    public void forward(int batch, int channels, int height, int width, float[] input, int inOffset, int inPlaneStride,
                        float[] output, int outOffset, int outPlaneStride) {
        runner.run(op(), batch, channels, height, width, input, inOffset, inPlaneStride, output, outOffset,
                outPlaneStride, null, 0, null);
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
        runner.run(op(), batch, channels, height, width, input, inOffset, inPlaneStride, output, outOffset,
                outPlaneStride, null, 0, scratch);
    }

    private PlaneTask.Op op() {
        return countIncludePad ? PlaneTask.Op.AVERAGE_COUNT_PADDING : PlaneTask.Op.AVERAGE;
    }

    @Override
    public String toString() {
        return "AveragePool2d[" + runner.window() + (countIncludePad ? ", count_include_pad" : "") + "]";
    }
}
