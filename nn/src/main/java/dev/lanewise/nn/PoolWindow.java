package dev.lanewise.nn;

import dev.lanewise.kernels.internal.Checks;
import dev.lanewise.kernels.internal.WindowShape;
import java.util.Objects;

/**
 * The window of a 2D pooling operator, with ONNX {@code MaxPool}/{@code AveragePool} attributes:
 * {@code kernel_shape}, {@code strides}, {@code pads} (asymmetric, {@code [top, left, bottom,
 * right]}) or {@code auto_pad}, {@code dilations} and {@code ceil_mode}. Immutable; each {@code with}
 * method returns a new window.
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
 * <h2>auto_pad</h2>
 * With {@link #withAutoPad} other than {@link AutoPad#NOTSET}, the pads are derived per input size
 * by {@link AutoPad} ({@link #resolve} gives them as explicit pads) and are padding like explicit
 * ones: they never win a maximum, and with {@code count_include_pad = 1} they count in an average's
 * divisor. The output size is then ONNX's {@code auto_pad} rule, the same with and without
 * {@code ceil_mode}:
 * <pre>
 *   SAME_UPPER, SAME_LOWER:  out = ceil(n / s)               (= floor((n - 1) / s) + 1)
 *   VALID:                   out = floor((n - e) / s) + 1     (= ceil((n - e + 1) / s))
 * </pre>
 * which is the floor-mode rule above over the derived pads, so ceil mode has no effect under
 * {@code auto_pad} (ONNX's reference implementation rejects the combination; its specification gives
 * the formulas above for both modes). With SAME pads ceil mode would give the same windows anyway;
 * with VALID it would add a last window running past the input, which ONNX's formula excludes.
 * {@code auto_pad} and explicit pads exclude each other, as in ONNX. A window of padding alone is
 * rejected under {@code auto_pad} too (SAME pads with a dilation wider than the input can make one).
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
    private final AutoPad autoPad;

    private PoolWindow(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padTop, int padLeft,
                       int padBottom, int padRight, int dilationHeight, int dilationWidth, boolean ceilMode,
                       AutoPad autoPad) {
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
        this.autoPad = Objects.requireNonNull(autoPad, "autoPad");
        if (autoPad != AutoPad.NOTSET && (padTop | padLeft | padBottom | padRight) != 0) {
            throw new IllegalArgumentException("pads [" + padTop + ", " + padLeft + ", " + padBottom + ", " + padRight
                    + "] must be 0 with auto_pad " + autoPad + " (ONNX: pads and auto_pad exclude each other)");
        }
    }

    /**
     * A {@code kernelHeight x kernelWidth} window with ONNX's defaults: strides 1, no padding,
     * dilations 1, floor mode.
     *
     * @throws IllegalArgumentException if a size is {@code < 1}
     */
    public static PoolWindow of(int kernelHeight, int kernelWidth) {
        return new PoolWindow(kernelHeight, kernelWidth, 1, 1, 0, 0, 0, 0, 1, 1, false, AutoPad.NOTSET);
    }

    /** This window moved by {@code strideHeight} rows and {@code strideWidth} columns ({@code >= 1}). */
    public PoolWindow withStrides(int strideHeight, int strideWidth) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth, ceilMode, autoPad);
    }

    /**
     * This window over an input padded by {@code [top, left, bottom, right]} cells ({@code >= 0}).
     *
     * @throws IllegalArgumentException if a pad is negative, or not 0 under an {@code auto_pad}
     */
    public PoolWindow withPads(int top, int left, int bottom, int right) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, top, left, bottom, right,
                dilationHeight, dilationWidth, ceilMode, autoPad);
    }

    /** This window with taps {@code dilationHeight} rows and {@code dilationWidth} columns apart ({@code >= 1}). */
    public PoolWindow withDilations(int dilationHeight, int dilationWidth) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth, ceilMode, autoPad);
    }

    /** This window with ONNX {@code ceil_mode} on or off (see the class comment). */
    public PoolWindow withCeilMode(boolean ceilMode) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth, ceilMode, autoPad);
    }

    /**
     * This window with ONNX {@code auto_pad} (see the class comment); {@link AutoPad#NOTSET} uses the
     * explicit pads.
     *
     * @throws IllegalArgumentException if {@code autoPad} is not NOTSET and the explicit pads are not all 0
     */
    public PoolWindow withAutoPad(AutoPad autoPad) {
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight,
                dilationHeight, dilationWidth, ceilMode, autoPad);
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

    /** The explicit top pad (0 under an {@code auto_pad}: see {@link #resolve}); likewise the other pads. */
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

    public AutoPad autoPad() {
        return autoPad;
    }

    /**
     * Output rows for an input of {@code height} rows. Pure: allocates nothing.
     *
     * @throws IllegalArgumentException if {@code height < 1} or the dilated kernel exceeds the padded input
     */
    public int outputHeight(int height) {
        Checks.positive("height", height);
        return WindowShape.outputLength("height", height, kernelHeight, strideHeight,
                autoPad.padBegin(padTop, height, kernelHeight, strideHeight, dilationHeight),
                autoPad.padEnd(padBottom, height, kernelHeight, strideHeight, dilationHeight),
                dilationHeight, resolvedCeilMode());
    }

    /**
     * Output columns for an input of {@code width} columns. Pure: allocates nothing.
     *
     * @throws IllegalArgumentException if {@code width < 1} or the dilated kernel exceeds the padded input
     */
    public int outputWidth(int width) {
        Checks.positive("width", width);
        return WindowShape.outputLength("width", width, kernelWidth, strideWidth,
                autoPad.padBegin(padLeft, width, kernelWidth, strideWidth, dilationWidth),
                autoPad.padEnd(padRight, width, kernelWidth, strideWidth, dilationWidth),
                dilationWidth, resolvedCeilMode());
    }

    /**
     * This window over a {@code height x width} input with its {@code auto_pad} made explicit: the
     * pads {@link AutoPad} derives, {@link AutoPad#NOTSET}, and floor mode (which gives ONNX's
     * {@code auto_pad} output size; see the class comment). A window without {@code auto_pad} is
     * returned as it is. Pools exactly as this window does over that input.
     *
     * @throws IllegalArgumentException if {@code height} or {@code width < 1}
     */
    public PoolWindow resolve(int height, int width) {
        Checks.positive("height", height);
        Checks.positive("width", width);
        if (autoPad == AutoPad.NOTSET) {
            return this;
        }
        return new PoolWindow(kernelHeight, kernelWidth, strideHeight, strideWidth,
                autoPad.padBegin(padTop, height, kernelHeight, strideHeight, dilationHeight),
                autoPad.padBegin(padLeft, width, kernelWidth, strideWidth, dilationWidth),
                autoPad.padEnd(padBottom, height, kernelHeight, strideHeight, dilationHeight),
                autoPad.padEnd(padRight, width, kernelWidth, strideWidth, dilationWidth),
                dilationHeight, dilationWidth, false, AutoPad.NOTSET);
    }

    /** Ceil mode as it applies: never under an {@code auto_pad}, whose output sizes are floor mode's. */
    private boolean resolvedCeilMode() {
        return ceilMode && autoPad == AutoPad.NOTSET;
    }

    /** The window resolved over a {@code height x width} plane; validates it. */
    WindowShape shape(int height, int width) {
        PoolWindow w = resolve(height, width);
        return WindowShape.pool(height, width, w.kernelHeight, w.kernelWidth, w.strideHeight, w.strideWidth,
                w.padTop, w.padLeft, w.padBottom, w.padRight, w.dilationHeight, w.dilationWidth, w.ceilMode);
    }

    @Override
    public String toString() {
        return "kernel " + kernelHeight + "x" + kernelWidth + ", strides " + strideHeight + "x" + strideWidth
                + ", pads [" + padTop + ", " + padLeft + ", " + padBottom + ", " + padRight + "], dilations "
                + dilationHeight + "x" + dilationWidth + (ceilMode ? ", ceil mode" : "")
                + (autoPad == AutoPad.NOTSET ? "" : ", auto_pad " + autoPad);
    }

}
