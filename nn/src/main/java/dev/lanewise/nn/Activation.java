package dev.lanewise.nn;

import dev.lanewise.kernels.internal.Checks;
import java.util.Objects;

/**
 * An element-wise activation: ONNX {@code Relu}, {@code LeakyRelu} and {@code Clip}, applied out of
 * place or in place. Immutable and thread-safe.
 *
 * <h2>What it computes, to the bit</h2>
 * <ul>
 *   <li>{@link #relu()}: {@code Math.max(x, +0.0f)}. NaN stays NaN; {@code -0.0} becomes {@code +0.0}
 *       (the same rule as the convolution and GEMM epilogues).</li>
 *   <li>{@link #clamp(float, float) clamp(min, max)}: {@code Math.min(Math.max(x, min), max)}; NaN stays
 *       NaN, and signed zeros order {@code -0.0 < +0.0}. {@link #relu6()} is {@code clamp(0, 6)}.</li>
 *   <li>{@link #leakyRelu(float) leakyRelu(alpha)}: {@code x < 0 ? alpha * x : x}; NaN and
 *       {@code -0.0} pass unchanged (PyTorch computes {@code alpha * -0.0} there, which differs only in
 *       the sign of a zero when {@code alpha < 0}).</li>
 * </ul>
 * The vector and scalar paths compute the same bits (NaN payloads included: NaN inputs are passed
 * through, never recomputed).
 *
 * <h2>Layout, threads, errors</h2>
 * {@link #apply(float[], int, float[], int, int)} maps {@code n} contiguous floats; the plane overload
 * maps {@code planes} runs of {@code planeSize} floats whose starts are a plane stride apart, such as
 * some channels of a larger NCHW tensor. Input and output must be the same range (in place) or not
 * overlap at all. Large calls are split over the shared pool; results do not depend on the thread
 * count; a call allocates nothing. Arguments are checked before anything is written.
 */
public final class Activation {

    /** Floats per unit of work when a contiguous range is split over threads (64 KiB). */
    private static final int BLOCK = 1 << 14;

    private static final Activation RELU = new Activation(PlaneTask.Op.CLAMP, 0f, Float.POSITIVE_INFINITY, "relu");

    private final PlaneTask.Op op;
    private final float a;
    private final float b;
    private final String name;

    private Activation(PlaneTask.Op op, float a, float b, String name) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.name = name;
    }

    /** ONNX {@code Relu}: {@code max(x, 0)}. */
    public static Activation relu() {
        return RELU;
    }

    /** ReLU6, {@code clamp(x, 0, 6)}, MobileNet's activation. */
    public static Activation relu6() {
        return clamp(0f, 6f);
    }

    /**
     * ONNX {@code Clip(min, max)}.
     *
     * @throws IllegalArgumentException if a bound is NaN or {@code min > max}
     */
    public static Activation clamp(float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException(
                    "clamp bounds [min, max] = [" + min + ", " + max + "] must be numbers with min <= max");
        }
        return new Activation(PlaneTask.Op.CLAMP, min, max, "clamp[" + min + ", " + max + "]");
    }

    /**
     * ONNX {@code LeakyRelu(alpha)} (ONNX's default alpha is 0.01).
     *
     * @throws IllegalArgumentException if {@code alpha} is not finite
     */
    public static Activation leakyRelu(float alpha) {
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha = " + alpha + " must be finite");
        }
        return new Activation(PlaneTask.Op.LEAKY_RELU, alpha, 0f, "leakyRelu[" + alpha + "]");
    }

    /**
     * {@code output[outOffset + i] = f(input[inOffset + i])} for {@code i < n}; in place when the
     * arrays and offsets are the same.
     *
     * @throws IllegalArgumentException  if {@code n < 0} or the ranges overlap without being the same
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    public void apply(float[] input, int inOffset, float[] output, int outOffset, int n) {
        Checks.nonNegative("n", n);
        long inEnd = Checks.vector("input", input, inOffset, n);
        long outEnd = Checks.vector("output", output, outOffset, n);
        checkOverlap(input, inOffset, inEnd, output, outOffset, outEnd, 0, 0);
        int planes = (int) ((n + (long) BLOCK - 1) / BLOCK);
        PlaneTask.activation(op, planes, BLOCK, n, input, inOffset, BLOCK, output, outOffset, BLOCK, a, b);
    }

    /** {@code data[offset + i] = f(data[offset + i])} for {@code i < n}. */
    public void applyInPlace(float[] data, int offset, int n) {
        apply(data, offset, data, offset, n);
    }

    /**
     * Maps {@code planes} runs of {@code planeSize} floats: run {@code p} reads from
     * {@code inOffset + p * inPlaneStride} and writes from {@code outOffset + p * outPlaneStride}.
     *
     * @throws IllegalArgumentException  if a count is negative, a stride is smaller than
     *                                   {@code planeSize}, or the ranges overlap without being the same
     * @throws IndexOutOfBoundsException if the planes do not fit their arrays
     */
    public void apply(int planes, int planeSize, float[] input, int inOffset, int inPlaneStride,
                      float[] output, int outOffset, int outPlaneStride) {
        Checks.nonNegative("planes", planes);
        Checks.nonNegative("planeSize", planeSize);
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        long inEnd = PlaneTask.checkPlanes("input", input.length, inOffset, planes, planeSize, inPlaneStride);
        long outEnd = PlaneTask.checkPlanes("output", output.length, outOffset, planes, planeSize, outPlaneStride);
        checkOverlap(input, inOffset, inEnd, output, outOffset, outEnd, inPlaneStride, outPlaneStride);
        if (planeSize > 0) {
            PlaneTask.activation(op, planes, planeSize, (long) planes * planeSize, input, inOffset, inPlaneStride,
                    output, outOffset, outPlaneStride, a, b);
        }
    }

    /** Rejects overlapping input and output ranges, unless they are the same (in place). */
    private static void checkOverlap(float[] in, int inOff, long inEnd, float[] out, int outOff, long outEnd,
                                     int inStride, int outStride) {
        if (!(in == out && inOff == outOff && inStride == outStride)) {
            Checks.noOverlap("output", out, outOff, outEnd, "input", in, inOff, inEnd);
        }
    }

    @Override
    public String toString() {
        return "Activation[" + name + "]";
    }
}
