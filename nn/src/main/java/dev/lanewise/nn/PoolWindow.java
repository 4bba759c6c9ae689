package dev.lanewise.nn;

import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.WindowShape;

/**
 * The window of a 2D pooling operator, with ONNX {@code MaxPool}/{@code AveragePool} attributes:
 * {@code kernel_shape}, {@code strides}, {@code pads} (asymmetric, {@code [top, left, bottom,
 * right]}), {@code dilations} and {@code ceil_mode}. Immutable; each {@code with} method returns a
 * new window.
 *
 * <h2>Output size</h2>
 * Along each axis, with input length {@code n}, kernel {@code k}, stride {@code s}, dilation
 * {@code d}, pads {@code pb} and {@code pe}, and dilated extent {@code e = (k - 1) d + 1}:
 * <pre>
 *   floor mode:  out = floor((n + pb + pe - e) / s) + 1
 *   ceil mode:   out = ceil((n + pb + pe - e) / s) + 1, then out - 1 if (out - 1) s >= n + pb
 * </pre>
 * Output {@code o}'s window covers input indices {@code o s - pb + j d}, {@code j < k}; cells outside
 * the input are padding, which never takes part in a maximum and counts in an average only when
 * asked ({@link AveragePool2d}).
 *
 * <p>Ceil mode follows ONNX Runtime 1.23 and PyTorch: a last window that would start inside the end
 * padding is dropped (the correction above). The older ONNX specification text kept it; such a
 * window holds padding alone, whose maximum and average are undefined, so lanewise does not offer
 * that rule. For the same reason an input size for which some window holds padding alone (pads
 * too large for the kernel and dilation) is rejected when the operator runs, as ONNX Runtime
 * rejects pads not smaller than the kernel.
 *
 * <p>{@code auto_pad} is not offered: compute the pads (ONNX's SAME rule) and pass them.
 */
public final class PoolWindow {

    private final int kernelHeight;
    private final int kernelWidth;
    private final int strideHeight;
    private final int strideWidth;
    private final int padTop;
    private final int padLeft;
    private final int padBottom;
    private final int padRight;
    private final int dilationHeight;
    private final int dilationWidth;
    private final boolean ceilMode;

    private PoolWindow(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padTop, int padLeft,
                       int padBottom, int padRight, int dilationHeight, int dilationWidth, boolean ceilMode) {
        this.kernelHeight = Checks.positive("kernelHeight", kernelHeight);
        this.kernelWidth = Checks.positive("kernelWidth", kernelWidth);
        this.strideHeight = Checks.positive("strideHeight", strideHeight);
        this.strideWidth = Checks.positive("strideWidth", strideWidth);
        this.padTop = Checks.nonNegative("padTop", padTop);
        this.padLeft = Checks.nonNegative("padLeft", padLeft);
        this.padBottom = Checks.nonNegative("padBottom", padBottom);
        this.padRight = Checks.nonNegative("padRight", padRight);
        this.dilationHeight = Checks.positive("dilationHeight", dilationHeight);
        this.dilationWidth = Checks.positive("dilationWidth", dilationWidth);
        this.ceilMode = ceilMode;
    }

    /**
     * A {@code kernelHeight x kernelWidth} window with ONNX's defaults: strides 1, no padding,
     * dilations 1, floor mode.
     *
     * @throws IllegalArgumentException if a size is {@code < 1}
     */
    public static PoolWindow of(int kernelHeight, int kernelWidth) {
        return new PoolWindow(kernelHeight, kernelWidth, 1, 1, 0, 0, 0, 0, 1, 1, false);
    }

    /** This window moved by {@code strideHeight} rows and {@code strideWidth} columns ({@code >= 1}). */
    public PoolWindow withStrides(int strideHeight, int strideWidth) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth, ceilMode);
    }

    /** This window over an input padded by {@code [top, left, bottom, right]} cells ({@code >= 0}). */
    public PoolWindow withPads(int top, int left, int bottom, int right) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, top, left, bottom, right,
                dilationHeight, dilationWidth, ceilMode);
    }

    /** This window with taps {@code dilationHeight} rows and {@code dilationWidth} columns apart ({@code >= 1}). */
    public PoolWindow withDilations(int dilationHeight, int dilationWidth) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth, ceilMode);
    }

    /** This window with ONNX {@code ceil_mode} on or off (see the class comment). */
    public PoolWindow withCeilMode(boolean ceilMode) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth, ceilMode);
    }

    public int kernelHeight() {
        return kernelHeight;
    }

    public int kernelWidth() {
        return kernelWidth;
    }

    public int strideHeight() {
        return strideHeight;
    }

    public int strideWidth() {
        return strideWidth;
    }

    public int padTop() {
        return padTop;
    }

    public int padLeft() {
        return padLeft;
    }

    public int padBottom() {
        return padBottom;
    }

    public int padRight() {
        return padRight;
    }

    public int dilationHeight() {
        return dilationHeight;
    }

    public int dilationWidth() {
        return dilationWidth;
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    /**
     * Output rows for an input of {@code height} rows.
     *
     * @throws IllegalArgumentException if {@code height < 1} or the dilated kernel exceeds the padded input
     */
    public int outputHeight(int height) {
        Checks.positive("height", height);
        return WindowShape.outputLength("height", height, kernelHeight, strideHeight, padTop, padBottom,
                dilationHeight, ceilMode);
    }

    /**
     * Output columns for an input of {@code width} columns.
     *
     * @throws IllegalArgumentException if {@code width < 1} or the dilated kernel exceeds the padded input
     */
    public int outputWidth(int width) {
        Checks.positive("width", width);
        return WindowShape.outputLength("width", width, kernelWidth, strideWidth, padLeft, padRight,
                dilationWidth, ceilMode);
    }

    /** The window resolved over a {@code height x width} plane; validates it. */
    WindowShape shape(int height, int width) {
        return WindowShape.pool(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                padTop, padLeft, padBottom, padRight, dilationHeight, dilationWidth, ceilMode);
    }

    @Override
    public String toString() {
        return "kernel " + kernelHeight + "x" + kernelWidth + ", strides " + strideHeight + "x" + strideWidth
                + ", pads [" + padTop + ", " + padLeft + ", " + padBottom + ", " + padRight + "], dilations "
                + dilationHeight + "x" + dilationWidth + (ceilMode ? ", ceil mode" : "");
    }

}
